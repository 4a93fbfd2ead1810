namespace Converge.Configuration;

/// <summary>The <c>Archive</c> section: the server-side message archive (XEP-0313).</summary>
internal sealed class ArchiveOptions
{
    /// <summary>How long messages are kept; unset keeps them until the user deletes them.</summary>
    public TimeSpan? Retention { get; set; }
}
