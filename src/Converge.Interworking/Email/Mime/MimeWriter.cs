using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Writes an <see cref="OutboundMail"/> as an RFC 5322 message: a single text/plain UTF-8 part,
/// 7bit when the text is ASCII with short lines, quoted-printable otherwise (so it passes any relay
/// without 8BITMIME); RFC 2047 for non-ASCII subjects and display names; header lines folded at 78
/// characters where possible and never over 998; CRLF throughout.
/// </summary>
public static class MimeWriter
{
    private const int FoldAt = 78;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    };

    public static byte[] Write(OutboundMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var output = new StringBuilder(256 + (mail.Text.Length * 3 / 2));
        Addresses(output, "From", [mail.From]);
        Addresses(output, "To", mail.To);
        if (mail.Cc.Count > 0)
        {
            Addresses(output, "Cc", mail.Cc);
        }

        if (mail.ReplyTo.Count > 0)
        {
            Addresses(output, "Reply-To", mail.ReplyTo);
        }

        if (mail.Subject is not null)
        {
            Fold(output, "Subject", Unstructured(mail.Subject));
        }

        Fold(output, "Date", [MailDate.Format(mail.Date)]);
        Fold(output, "Message-ID", [MessageId(mail.MessageId)]);
        if (!string.IsNullOrEmpty(mail.InReplyTo))
        {
            Fold(output, "In-Reply-To", [MessageId(mail.InReplyTo)]);
        }

        if (mail.References.Count > 0)
        {
            Fold(output, "References", [.. mail.References.Select(MessageId)]);
        }

        var lines = mail.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var plain = Ascii.IsValid(mail.Text) && lines.All(l => l.Length <= FoldAt && !l.StartsWith("From ", StringComparison.Ordinal));
        Fold(output, "MIME-Version", ["1.0"]);
        Fold(output, "Content-Type", ["text/plain;", "charset=utf-8"]);
        Fold(output, "Content-Transfer-Encoding", [plain ? "7bit" : "quoted-printable"]);
        foreach (var (name, value) in mail.ExtraHeaders)
        {
            if (!IsFieldName(name) || Reserved.Contains(name))
            {
                throw new ArgumentException($"'{name}' cannot be written as an extra header field", nameof(mail));
            }

            Fold(output, name, Unstructured(value));
        }

        output.Append("\r\n");
        if (plain)
        {
            foreach (var line in lines)
            {
                output.Append(line).Append("\r\n");
            }
        }
        else
        {
            QuotedPrintableEncoder.Encode(lines, output);
        }

        return Encoding.ASCII.GetBytes(output.ToString());
    }

    /// <summary>An address as written in a header: <c>Name &lt;addr&gt;</c>, the name quoted or encoded as needed.</summary>
    internal static List<string> Mailbox(MailboxAddress mailbox)
    {
        var address = "<" + StripLineBreaks(mailbox.Address).Trim('<', '>', ' ') + ">";
        if (string.IsNullOrWhiteSpace(mailbox.DisplayName))
        {
            return [address];
        }

        var name = StripLineBreaks(mailbox.DisplayName).Trim();
        List<string> chunks;
        if (!Ascii.IsValid(name) || name.Contains("=?", StringComparison.Ordinal))
        {
            chunks = EncodedWordEncoder.Encode(name);
        }
        else if (name.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal)))
        {
            chunks = [.. name.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        else
        {
            chunks = ["\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""];
        }

        chunks.Add(address);
        return chunks;
    }

    private static void Addresses(StringBuilder output, string name, IReadOnlyList<MailboxAddress> mailboxes)
    {
        var chunks = new List<string>();
        for (var i = 0; i < mailboxes.Count; i++)
        {
            var mailbox = Mailbox(mailboxes[i]);
            if (i < mailboxes.Count - 1)
            {
                mailbox[^1] += ",";
            }

            chunks.AddRange(mailbox);
        }

        Fold(output, name, chunks);
    }

    // Unstructured text (RFC 5322 §3.2.5): ASCII words as they are; the span from the first to the
    // last word that needs it as encoded words (readers drop the space between adjacent encoded words,
    // so the words in between are encoded too rather than losing their spaces).
    private static List<string> Unstructured(string value)
    {
        var words = StripLineBreaks(value).Split(' ');
        var first = Array.FindIndex(words, EncodedWordEncoder.NeedsEncoding);
        if (first < 0)
        {
            return [.. words.Where(w => w.Length > 0)];
        }

        var last = Array.FindLastIndex(words, EncodedWordEncoder.NeedsEncoding);
        var chunks = words[..first].Where(w => w.Length > 0).ToList();
        chunks.AddRange(EncodedWordEncoder.Encode(string.Join(' ', words[first..(last + 1)])));
        chunks.AddRange(words[(last + 1)..].Where(w => w.Length > 0));
        return chunks;
    }

    private static void Fold(StringBuilder output, string name, IReadOnlyList<string> chunks)
    {
        output.Append(name).Append(':');
        var lineLength = name.Length + 1;
        foreach (var chunk in chunks)
        {
            if (lineLength + 1 + chunk.Length > FoldAt && lineLength > name.Length + 1)
            {
                output.Append("\r\n");
                lineLength = 0;
            }

            output.Append(' ').Append(chunk);
            lineLength += 1 + chunk.Length;
        }

        output.Append("\r\n");
    }

    private static string MessageId(string id) => "<" + StripLineBreaks(id).Trim().Trim('<', '>') + ">";

    private static string StripLineBreaks(string value) =>
        value.AsSpan().ContainsAny("\r\n") ? value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ') : value;

    private static bool IsFieldName(string name) => name.Length > 0 && name.All(c => c is > ' ' and <= '~' and not ':');
}
