using System.Text;
using System.Text.RegularExpressions;

namespace Converge.Interworking.Email;

/// <summary>
/// RFC 2047 encoded words (<c>=?charset?B|Q?text?=</c>) in unstructured header text and phrases.
/// Adjacent encoded words separated only by whitespace are joined without it (§6.2), and their bytes
/// are joined before decoding when they share a charset, so a character split across two words
/// (as some mailers do with UTF-8) survives. Words not set apart by whitespace are decoded too,
/// as every mail reader does.
/// </summary>
internal static partial class EncodedWords
{
    public static string Decode(string text, MimeDefectLog log)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var pending = new List<byte>();
        string? pendingCharset = null;
        var position = 0;
        foreach (Match match in EncodedWord().Matches(text))
        {
            var gap = text.AsSpan(position, match.Index - position);
            var adjacent = pendingCharset is not null && gap.IsWhiteSpace();
            if (!adjacent)
            {
                Flush();
                result.Append(gap);
            }

            position = match.Index + match.Length;
            var charset = match.Groups["charset"].Value;
            var payload = Encoding.ASCII.GetBytes(match.Groups["text"].Value);
            var isBase64 = match.Groups["encoding"].Value is "B" or "b";
            var bytes = isBase64
                ? TransferDecoding.DecodeBase64(payload, out var invalid)
                : TransferDecoding.DecodeQEncoding(payload, out invalid);
            if (invalid)
            {
                log.Flag(MimeDefects.InvalidEncodedWord, $"Invalid encoded word '{match.Value}'");
                Flush();
                result.Append(match.Value);
                continue;
            }

            if (pendingCharset is not null && !string.Equals(pendingCharset, charset, StringComparison.OrdinalIgnoreCase))
            {
                Flush();
            }

            pendingCharset = charset;
            pending.AddRange(bytes);
        }

        Flush();
        result.Append(text.AsSpan(position));
        return result.ToString();

        void Flush()
        {
            if (pendingCharset is null)
            {
                return;
            }

            result.Append(Charsets.Decode([.. pending], pendingCharset, log));
            pending.Clear();
            pendingCharset = null;
        }
    }

    // charset, an optional RFC 2231 language (*en), B or Q, and the encoded text (no '?' or whitespace).
    [GeneratedRegex(@"=\?(?<charset>[^?\s*]+)(?:\*[^?\s]*)?\?(?<encoding>[BbQq])\?(?<text>[^?\s]*)\?=", RegexOptions.CultureInvariant)]
    private static partial Regex EncodedWord();
}
