using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Converge.Interworking.Email;

/// <summary>
/// Reads a mail message with MimeKit and takes from it what the interworking function needs: the
/// decoded subject and addresses (RFC 2047, RFC 2231), the thread's message ids, the date, and the
/// text a person would read (<see cref="BodyTextSelector"/>). Three repairs of real mail that MimeKit
/// leaves undone are made on the raw header values first (<see cref="Repair"/>).
/// </summary>
public sealed partial class MimeParser
{
    private readonly ParserOptions _options;

    public MimeParser(MimeParsingMode mode = MimeParsingMode.Lenient, MimeLimits? limits = null)
    {
        var compliance = mode == MimeParsingMode.Strict ? RfcComplianceMode.Strict : RfcComplianceMode.Loose;
        _options = ParserOptions.Default.Clone();
        _options.AddressParserComplianceMode = compliance;
        _options.ParameterComplianceMode = compliance;
        _options.Rfc2047ComplianceMode = compliance;
        _options.MaxMimeDepth = (limits ?? MimeLimits.Default).MaxDepth;
        _options.CharsetEncoding = Encoding.UTF8; // raw 8-bit header text: UTF-8 (RFC 6532) before anything else
    }

    public MailMessage Parse(ReadOnlyMemory<byte> message)
    {
        var mime = Load(SkipMboxFromLine(message));
        var (text, fromHtml) = BodyTextSelector.Select(mime.Body);
        return new MailMessage(mime)
        {
            Subject = RawValue(mime, HeaderId.Subject) is { } subject ? Rfc2047.DecodeText(_options, Encoding.UTF8.GetBytes(Repair.EncodedWords(subject))).Trim() : null,
            From = Mailboxes(mime.From),
            To = Mailboxes(mime.To),
            Cc = Mailboxes(mime.Cc),
            ReplyTo = Mailboxes(mime.ReplyTo),
            MessageId = mime.MessageId,
            InReplyTo = MessageIds(mime.Headers[HeaderId.InReplyTo]),
            References = MessageIds(mime.Headers[HeaderId.References]),
            Date = DateUtils.TryParse(Repair.MilitaryZone(mime.Headers[HeaderId.Date] ?? string.Empty), out var date) ? date : null,
            TextBody = text?.TrimEnd(),
            TextBodyFromHtml = fromHtml,
        };
    }

    private static List<MailboxAddress> Mailboxes(InternetAddressList list) =>
        [.. list.Mailboxes.Select(m => new MailboxAddress(string.IsNullOrEmpty(m.Name) ? null : m.Name, m.Address))];

    private MimeMessage Load(ReadOnlyMemory<byte> message)
    {
        try
        {
            using var stream = AsStream(message);
            return MimeMessage.Load(_options, stream);
        }
        catch (FormatException)
        {
            // No header block at all (text typed straight into DATA): all of it is the body.
            using var stream = new MemoryStream([(byte)'\r', (byte)'\n', .. message.Span]);
            return MimeMessage.Load(_options, stream);
        }
    }

    /// <summary>A header field's value as it was written (folding undone), before MimeKit decodes it.</summary>
    private static string? RawValue(MimeMessage mime, HeaderId id) =>
        mime.Headers.FirstOrDefault(h => h.Id == id) is { } header ? Charsets.DecodeUnlabelled(header.RawValue).ReplaceLineEndings(string.Empty) : null;

    /// <summary>The ids of In-Reply-To or References, oldest first; a lone id without its angle brackets is taken too.</summary>
    private static List<string> MessageIds(string? value)
    {
        if (value is null)
        {
            return [];
        }

        List<string> ids = [.. MimeUtils.EnumerateReferences(value)];
        return ids.Count > 0 || MimeUtils.ParseMessageId(value) is not { Length: > 0 } bare ? ids : [bare];
    }

    // A message saved from a mailbox file starts with its "From " separator line (mboxrd); it is not a header field.
    private static ReadOnlyMemory<byte> SkipMboxFromLine(ReadOnlyMemory<byte> message)
    {
        if (!message.Span.StartsWith("From "u8))
        {
            return message;
        }

        var end = message.Span.IndexOf((byte)'\n');
        return end < 0 ? message : message[(end + 1)..];
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    /// <summary>Repairs of raw header values, each one of what mailers get wrong and readers put up with.</summary>
    private static partial class Repair
    {
        /// <summary>
        /// Base64 encoded words: missing padding is added (MimeKit drops the last characters
        /// otherwise); a word whose text is not base64 at all is kept as written, as RFC 2047 §6.3
        /// asks, by re-encoding it as a quoted-printable word of its own literal text.
        /// </summary>
        public static string EncodedWords(string value) => Base64Word().Replace(value, word =>
        {
            var text = word.Groups["text"].Value;
            if (text.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '+' and not '/' and not '='))
            {
                return "=?us-ascii?q?" + string.Concat(word.Value.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : $"={(int)c:X2}")) + "?=";
            }

            var padded = text.TrimEnd('=');
            return $"=?{word.Groups["charset"].Value}?b?{padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=')}?=";
        });

        /// <summary>RFC 5322 §4.3: the military zone letters were defined with the wrong sign and mean -0000.</summary>
        public static string MilitaryZone(string value) => MilitaryZoneSuffix().Replace(value, " -0000");

        [GeneratedRegex(@"=\?(?<charset>[^?\s]+)\?[bB]\?(?<text>[^?\s]*)\?=")]
        private static partial Regex Base64Word();

        [GeneratedRegex(@"\s[A-IK-Za-ik-z]\s*$")]
        private static partial Regex MilitaryZoneSuffix();
    }
}
