namespace Converge.Configuration;

/// <summary>The <c>Archive</c> section: the server-side message archive (XEP-0313).</summary>
internal sealed class ArchiveOptions
{
    /// <summary>How long messages are kept; unset keeps them until the user deletes them.</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>
    /// What one user's archive may take (UTF-8 bytes of the stored stanzas); past it the oldest messages
    /// are dropped. 0 turns the quota off.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public long QuotaBytesPerUser { get; set; } = 1024L * 1024 * 1024;
}
