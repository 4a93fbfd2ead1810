using System.Buffers;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Reads one (possibly multi-line) SMTP reply from received bytes, without I/O: lines of
/// "ddd-text" continue, "ddd text" or "ddd" ends the reply (RFC 5321 §4.2.1).
/// </summary>
internal static class SmtpReplyReader
{
    public const int MaxReplyBytes = 64 * 1024;

    /// <summary>True and the reply when <paramref name="buffer"/> holds a whole reply; the buffer is then sliced past it.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out SmtpReply? reply)
    {
        reply = null;
        var reader = new SequenceReader<byte>(buffer);
        var lines = new List<string>();
        var code = 0;
        while (reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
        {
            var line = Encoding.Latin1.GetString(raw).TrimEnd('\r');
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpProtocolException($"Not an SMTP reply line: '{Shorten(line)}'");
            }

            var lineCode = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
            if (code != 0 && lineCode != code)
            {
                throw new SmtpProtocolException($"Reply code changed inside a multi-line reply: '{Shorten(line)}'");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                if (code is < 200 or > 599)
                {
                    throw new SmtpProtocolException($"Reply code {code} is out of range");
                }

                buffer = buffer.Slice(reader.Position);
                reply = new SmtpReply(code, lines);
                return true;
            }
        }

        if (buffer.Length > MaxReplyBytes)
        {
            throw new SmtpProtocolException($"A reply longer than {MaxReplyBytes} bytes");
        }

        return false;
    }

    private static string Shorten(string line) => line.Length > 80 ? line[..80] + "..." : line;
}
