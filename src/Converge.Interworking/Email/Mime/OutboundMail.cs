namespace Converge.Interworking.Email;

/// <summary>A plain-text mail to be written by <see cref="MimeWriter"/>.</summary>
public sealed class OutboundMail
{
    public required MailboxAddress From { get; init; }

    public required IReadOnlyList<MailboxAddress> To { get; init; }

    public IReadOnlyList<MailboxAddress> Cc { get; init; } = [];

    public IReadOnlyList<MailboxAddress> ReplyTo { get; init; } = [];

    public string? Subject { get; init; }

    public DateTimeOffset Date { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The Message-ID without angle brackets, e.g. "thread-42.7@a.example".</summary>
    public required string MessageId { get; init; }

    /// <summary>The id this mail answers, without angle brackets.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The thread's ids, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The body; any line ending style, written as CRLF.</summary>
    public required string Text { get; init; }

    /// <summary>Further header fields (e.g. Auto-Submitted), written after the standard ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
