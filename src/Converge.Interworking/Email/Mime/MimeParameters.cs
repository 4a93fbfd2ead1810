using System.Globalization;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// A structured header value with parameters (Content-Type, Content-Disposition): <c>value; name=value ...</c>
/// (RFC 2045 §5.1), with RFC 2231 extended values (<c>name*=charset'lang'%XX</c>) and continuations
/// (<c>name*0=..., name*1*=...</c>). Values that are RFC 2047 encoded words (written by Outlook for
/// file names) are decoded as well.
/// </summary>
internal static class MimeParameters
{
    public static string Parse(string text, MimeDefectLog log, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var raw = new List<(string Name, string Value)>();
        var position = 0;
        var value = ReadUntilSemicolon(text, ref position).Trim();
        while (position < text.Length)
        {
            position++; // the ';'
            SkipWhitespaceAndComments(text, ref position);
            if (position >= text.Length)
            {
                break;
            }

            var nameStart = position;
            while (position < text.Length && text[position] is not ('=' or ';'))
            {
                position++;
            }

            var name = text[nameStart..position].Trim();
            if (position >= text.Length || text[position] == ';' || name.Length == 0)
            {
                log.Flag(MimeDefects.MalformedHeader, $"Parameter without a value in '{text}'");
                continue;
            }

            position++; // the '='
            SkipWhitespaceAndComments(text, ref position);
            string parameterValue;
            if (position < text.Length && text[position] == '"')
            {
                parameterValue = ReadQuotedString(text, ref position, log);
                ReadUntilSemicolon(text, ref position);
            }
            else
            {
                // Lenient: unquoted values with spaces or tspecials are taken up to the next ';'.
                parameterValue = ReadUntilSemicolon(text, ref position).Trim();
            }

            raw.Add((name, parameterValue));
        }

        Combine(raw, parameters, log);
        return StripComments(value);
    }

    private static void Combine(List<(string Name, string Value)> raw, Dictionary<string, string> parameters, MimeDefectLog log)
    {
        var continued = new Dictionary<string, SortedDictionary<int, (string Value, bool Encoded)>>(StringComparer.OrdinalIgnoreCase);
        var extended = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in raw)
        {
            var star = name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                parameters.TryAdd(name, value.Contains("=?", StringComparison.Ordinal) ? EncodedWords.Decode(value, log) : value);
                continue;
            }

            var baseName = name[..star];
            var rest = name[(star + 1)..];
            if (rest.Length == 0)
            {
                extended[baseName] = DecodeExtended(value, null, log);
                continue;
            }

            var encoded = rest.EndsWith('*');
            var digits = encoded ? rest[..^1] : rest;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > 999)
            {
                log.Flag(MimeDefects.MalformedHeader, $"Invalid RFC 2231 parameter name '{name}'");
                continue;
            }

            if (!continued.TryGetValue(baseName, out var sections))
            {
                continued[baseName] = sections = [];
            }

            sections[index] = (value, encoded);
        }

        foreach (var (name, sections) in continued)
        {
            string? charset = null;
            var bytes = new List<byte>();
            var text = new StringBuilder();
            var first = true;
            foreach (var (_, (value, encoded)) in sections)
            {
                if (encoded)
                {
                    var data = value;
                    if (first && TrySplitCharset(value, out var declared, out var afterLanguage))
                    {
                        charset = declared;
                        data = afterLanguage;
                    }

                    bytes.AddRange(PercentDecode(data));
                }
                else
                {
                    FlushBytes();
                    text.Append(value);
                }

                first = false;
            }

            FlushBytes();
            parameters[name] = text.ToString();

            void FlushBytes()
            {
                if (bytes.Count > 0)
                {
                    text.Append(Charsets.Decode([.. bytes], charset ?? "utf-8", log));
                    bytes.Clear();
                }
            }
        }

        foreach (var (name, value) in extended)
        {
            parameters[name] = value; // the RFC 2231 form wins over a plain one of the same name
        }
    }

    private static string DecodeExtended(string value, string? charset, MimeDefectLog log)
    {
        var data = value;
        if (TrySplitCharset(value, out var declared, out var afterLanguage))
        {
            charset = declared;
            data = afterLanguage;
        }

        return Charsets.Decode(PercentDecode(data), string.IsNullOrEmpty(charset) ? "utf-8" : charset, log);
    }

    private static bool TrySplitCharset(string value, out string charset, out string rest)
    {
        var firstQuote = value.IndexOf('\'', StringComparison.Ordinal);
        var secondQuote = firstQuote < 0 ? -1 : value.IndexOf('\'', firstQuote + 1);
        if (secondQuote < 0)
        {
            charset = string.Empty;
            rest = value;
            return false;
        }

        charset = value[..firstQuote];
        rest = value[(secondQuote + 1)..];
        return true;
    }

    private static byte[] PercentDecode(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return [.. bytes];
    }

    private static string ReadUntilSemicolon(string text, ref int position)
    {
        var start = position;
        var inQuote = false;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '"')
            {
                inQuote = !inQuote;
            }
            else if (c == '\\' && inQuote)
            {
                position++;
            }
            else if (c == ';' && !inQuote)
            {
                break;
            }

            position++;
        }

        return text[start..Math.Min(position, text.Length)];
    }

    private static string ReadQuotedString(string text, ref int position, MimeDefectLog log)
    {
        var result = new StringBuilder();
        position++; // opening quote
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return result.ToString();
            }

            if (c == '\\' && position < text.Length)
            {
                c = text[position++];
            }

            result.Append(c);
        }

        log.Flag(MimeDefects.MalformedHeader, $"Unterminated quoted string in '{text}'");
        return result.ToString();
    }

    private static void SkipWhitespaceAndComments(string text, ref int position)
    {
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            else if (text[position] == '(')
            {
                SkipComment(text, ref position);
            }
            else
            {
                return;
            }
        }
    }

    internal static void SkipComment(string text, ref int position)
    {
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '\\')
            {
                position++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return;
            }
        }
    }

    private static string StripComments(string value)
    {
        if (!value.Contains('(', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder();
        var position = 0;
        while (position < value.Length)
        {
            if (value[position] == '(')
            {
                SkipComment(value, ref position);
            }
            else
            {
                result.Append(value[position++]);
            }
        }

        return result.ToString().Trim();
    }
}
