using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;
using MimeKit.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Writes an <see cref="OutboundMail"/> with MimeKit as an RFC 5322 message: a single text/plain
/// UTF-8 part, 7bit when the text is ASCII with short lines, quoted-printable otherwise (so it
/// passes any relay without 8BITMIME); RFC 2047 for non-ASCII subjects and display names; header
/// lines folded at 78 characters; CRLF throughout.
/// </summary>
public static class MimeWriter
{
    private const int LongestPlainLine = 78;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    };

    private static readonly FormatOptions Format = CreateFormat();

    public static byte[] Write(OutboundMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = new MimeMessage();
        message.From.Add(Mailbox(mail.From));
        message.To.AddRange(mail.To.Select(Mailbox));
        message.Cc.AddRange(mail.Cc.Select(Mailbox));
        message.ReplyTo.AddRange(mail.ReplyTo.Select(Mailbox));
        if (mail.Subject is not null)
        {
            message.Subject = OneLine(mail.Subject);
        }

        message.Date = mail.Date;
        message.MessageId = MessageId(mail.MessageId);
        if (!string.IsNullOrEmpty(mail.InReplyTo))
        {
            message.InReplyTo = MessageId(mail.InReplyTo);
        }

        message.References.AddRange(mail.References.Select(MessageId));
        foreach (var (name, value) in mail.ExtraHeaders)
        {
            if (Reserved.Contains(name) || !IsFieldName(name))
            {
                throw new ArgumentException($"'{name}' cannot be written as an extra header field", nameof(mail));
            }

            message.Headers.Add(name, OneLine(value));
        }

        var text = mail.Text.ReplaceLineEndings("\n");
        var plain = Ascii.IsValid(text) && text.Split('\n').All(l => l.Length <= LongestPlainLine && !l.StartsWith("From ", StringComparison.Ordinal));
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = plain ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable };
        body.ContentType.Charset = "utf-8";
        body.Content = plain ? new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(text + "\n"))) : QuotedPrintable(text + "\n");
        message.Body = body;

        using var output = new MemoryStream(256 + (text.Length * 3 / 2));
        message.WriteTo(Format, output);
        return output.ToArray();
    }

    /// <summary>Quoted-printable with "From " at a line start armored as "=46rom " (mbox stores would otherwise add a "&gt;").</summary>
    private static MimeContent QuotedPrintable(string text)
    {
        var encoded = new MemoryStream();
        using (var filtered = new FilteredStream(encoded))
        {
            filtered.Add(EncoderFilter.Create(ContentEncoding.QuotedPrintable));
            filtered.Add(new ArmoredFromFilter());
            filtered.Write(Encoding.UTF8.GetBytes(text));
            filtered.Flush();
        }

        return new MimeContent(new MemoryStream(encoded.ToArray()), ContentEncoding.QuotedPrintable);
    }

    private static MimeKit.MailboxAddress Mailbox(MailboxAddress mailbox) =>
        new(string.IsNullOrWhiteSpace(mailbox.DisplayName) ? string.Empty : OneLine(mailbox.DisplayName).Trim(), OneLine(mailbox.Address).Trim('<', '>', ' '));

    private static string MessageId(string id) => OneLine(id).Trim().Trim('<', '>');

    // Header values come from users and peers: a line break in one must not start a field of its own.
    private static string OneLine(string value) =>
        value.AsSpan().ContainsAny("\r\n") ? value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ') : value;

    private static bool IsFieldName(string name) => name.Length > 0 && name.All(c => c is > ' ' and <= '~' and not ':');

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = false; // RFC 2047 words, not raw UTF-8 (SMTPUTF8 is not asked for)
        return format;
    }
}
