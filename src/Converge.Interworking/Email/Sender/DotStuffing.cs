using System.Buffers;

namespace Converge.Interworking.Email;

/// <summary>
/// Message data as sent after DATA (RFC 5321 §4.5.2): a "." at the start of a line doubled, every
/// line ending made CRLF (a bare LF or CR is never sent: receivers disagree on them, which is what
/// SMTP smuggling exploits), a final CRLF, then "." CRLF.
/// </summary>
internal static class DotStuffing
{
    public static byte[] Encode(ReadOnlySpan<byte> message, out long size, out bool has8Bit)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + 64);
        var lineStart = true;
        size = 0;
        has8Bit = false;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == '.')
            {
                output.Write("."u8);
            }

            lineStart = false;
            if (b == '\r' || b == '\n')
            {
                if (b == '\r' && i + 1 < message.Length && message[i + 1] == '\n')
                {
                    i++;
                }

                output.Write("\r\n"u8);
                size += 2;
                lineStart = true;
                continue;
            }

            has8Bit |= b >= 0x80;
            output.GetSpan(1)[0] = b;
            output.Advance(1);
            size++;
        }

        if (!lineStart)
        {
            output.Write("\r\n"u8);
            size += 2;
        }

        output.Write(".\r\n"u8);
        return output.WrittenSpan.ToArray();
    }
}
