namespace Converge.Interworking.Email;

/// <summary>A mail message as read by <see cref="MimeParser"/>: the decoded header fields the interworking function uses, the text to show, and MimeKit's message for the rest.</summary>
public sealed class MailMessage
{
    internal MailMessage(MimeKit.MimeMessage mime)
    {
        Mime = mime;
    }

    /// <summary>The message as MimeKit read it: every header field and the MIME tree.</summary>
    public MimeKit.MimeMessage Mime { get; }

    public MimeKit.HeaderList Headers => Mime.Headers;

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
}
