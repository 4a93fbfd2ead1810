namespace Converge.Interworking.Email;

/// <summary>A mail message as read by <see cref="MimeParser"/>: the decoded header fields, the MIME tree and the text to show.</summary>
public sealed class MailMessage
{
    internal MailMessage(MimeEntity body)
    {
        Body = body;
    }

    /// <summary>The root entity; its headers are the message headers.</summary>
    public MimeEntity Body { get; }

    public MimeHeaderList Headers => Body.Headers;

    /// <summary>The subject with RFC 2047 encoded words decoded; null when absent.</summary>
    public string? Subject { get; internal init; }

    public IReadOnlyList<MailboxAddress> From { get; internal init; } = [];

    public IReadOnlyList<MailboxAddress> To { get; internal init; } = [];

    public IReadOnlyList<MailboxAddress> Cc { get; internal init; } = [];

    public IReadOnlyList<MailboxAddress> ReplyTo { get; internal init; } = [];

    /// <summary>The Message-ID without angle brackets.</summary>
    public string? MessageId { get; internal init; }

    /// <summary>The ids of In-Reply-To, without angle brackets (usually one).</summary>
    public IReadOnlyList<string> InReplyTo { get; internal init; } = [];

    /// <summary>The ids of References, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; internal init; } = [];

    public DateTimeOffset? Date { get; internal init; }

    /// <summary>
    /// The text to show: text/plain preferred in multipart/alternative, inline text parts of a
    /// multipart/mixed joined, text/html converted to plain text only when there is no plain text.
    /// Null when the message has no text at all.
    /// </summary>
    public string? TextBody { get; internal init; }

    /// <summary>True when <see cref="TextBody"/> was converted from HTML.</summary>
    public bool TextBodyFromHtml { get; internal init; }

    /// <summary>What a lenient read tolerated; None for a clean message.</summary>
    public MimeDefects Defects { get; internal init; }
}
