using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Quoted-printable (RFC 2045 §6.7) for a text body: encoded lines of at most 76 characters with
/// soft breaks, whitespace at a line end escaped, hard line breaks as CRLF.
/// </summary>
internal static class QuotedPrintableEncoder
{
    private const int MaxLine = 76;
    private const string Hex = "0123456789ABCDEF";

    public static void Encode(IEnumerable<string> lines, StringBuilder output)
    {
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var length = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var last = i == bytes.Length - 1;
                var literal = b is >= 33 and <= 126 and not (byte)'=' || (b is (byte)' ' or (byte)'\t' && !last);

                // Escape a leading '.' and "From " so the text survives naive relays (RFC 2049 §3).
                if (length == 0 && (b == '.' || (b == (byte)'F' && bytes.AsSpan(i).StartsWith("From "u8))))
                {
                    literal = false;
                }

                var width = literal ? 1 : 3;
                if (length + width > MaxLine - 1)
                {
                    output.Append("=\r\n");
                    length = 0;
                }

                if (literal)
                {
                    output.Append((char)b);
                }
                else
                {
                    output.Append('=').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
                }

                length += width;
            }

            output.Append("\r\n");
        }
    }
}
