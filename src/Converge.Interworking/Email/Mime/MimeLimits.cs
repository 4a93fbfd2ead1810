namespace Converge.Interworking.Email;

/// <summary>
/// Bounds on what the mail reader reads. The size of a message is bounded before it gets here: the
/// SMTP listener refuses a message over its SIZE limit while it is being received.
/// </summary>
public sealed class MimeLimits
{
    /// <summary>Deepest multipart nesting read (the message itself is depth 0); a multipart deeper is kept unread. Real mail rarely passes 5.</summary>
    public int MaxDepth { get; init; } = 16;

    public static MimeLimits Default { get; } = new();
}
