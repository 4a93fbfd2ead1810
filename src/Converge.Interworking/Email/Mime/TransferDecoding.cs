using System.Buffers;

namespace Converge.Interworking.Email;

/// <summary>Content-Transfer-Encoding decoders (RFC 2045 §6), tolerant of what real mailers write.</summary>
internal static class TransferDecoding
{
    private static readonly sbyte[] Base64Values = BuildBase64Values();

    /// <summary>
    /// Base64 ignoring characters outside the alphabet (line breaks, spaces) and missing padding;
    /// data after the padding is ignored. <paramref name="invalid"/> reports characters that are
    /// neither alphabet nor whitespace, or a dangling single sextet.
    /// </summary>
    public static byte[] DecodeBase64(ReadOnlySpan<byte> input, out bool invalid)
    {
        invalid = false;
        var output = new byte[(input.Length / 4 * 3) + 3];
        var written = 0;
        var accumulator = 0;
        var bits = 0;
        var sextets = 0;
        foreach (var c in input)
        {
            if (c == '=')
            {
                break;
            }

            var value = c < 128 ? Base64Values[c] : (sbyte)-1;
            if (value < 0)
            {
                if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    invalid = true;
                }

                continue;
            }

            sextets++;
            accumulator = (accumulator << 6) | (byte)value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[written++] = (byte)(accumulator >> bits);
                accumulator &= (1 << bits) - 1;
            }
        }

        if (sextets % 4 == 1)
        {
            invalid = true;
        }

        return output.AsSpan(0, written).ToArray();
    }

    /// <summary>
    /// Quoted-printable body (RFC 2045 §6.7): =XX escapes, soft line breaks ("=" at the end of a line),
    /// whitespace at the end of lines removed. Line endings come out as CRLF. An "=" not followed by two
    /// hex digits is kept literally and reported in <paramref name="invalid"/>.
    /// </summary>
    public static byte[] DecodeQuotedPrintable(ReadOnlySpan<byte> input, out bool invalid)
    {
        invalid = false;
        var output = new ArrayBufferWriter<byte>(input.Length);
        while (!input.IsEmpty)
        {
            var newline = input.IndexOf((byte)'\n');
            var hasNewline = newline >= 0;
            var line = hasNewline ? input[..newline] : input;
            input = hasNewline ? input[(newline + 1)..] : [];
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            line = line.TrimEnd(" \t"u8);
            var softBreak = !line.IsEmpty && line[^1] == '=';
            if (softBreak)
            {
                line = line[..^1];
            }

            invalid |= DecodeQuotedPrintableLine(line, output, underscoreIsSpace: false);
            if (hasNewline && !softBreak)
            {
                output.Write("\r\n"u8);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The "Q" encoding of RFC 2047 §4.2: like quoted-printable, with "_" for a space.</summary>
    public static byte[] DecodeQEncoding(ReadOnlySpan<byte> input, out bool invalid)
    {
        var output = new ArrayBufferWriter<byte>(input.Length);
        invalid = DecodeQuotedPrintableLine(input, output, underscoreIsSpace: true);
        return output.WrittenSpan.ToArray();
    }

    private static bool DecodeQuotedPrintableLine(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output, bool underscoreIsSpace)
    {
        var invalid = false;
        var span = output.GetSpan(line.Length);
        var written = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '=' && i + 2 < line.Length && TryHex(line[i + 1], line[i + 2], out var value))
            {
                span[written++] = value;
                i += 2;
            }
            else if (c == '=')
            {
                invalid = true;
                span[written++] = c;
            }
            else if (c == '_' && underscoreIsSpace)
            {
                span[written++] = (byte)' ';
            }
            else
            {
                span[written++] = c;
            }
        }

        output.Advance(written);
        return invalid;
    }

    private static bool TryHex(byte high, byte low, out byte value)
    {
        var h = HexValue(high);
        var l = HexValue(low);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10, // lowercase is not RFC 2045 but common
        _ => -1,
    };

    private static sbyte[] BuildBase64Values()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            values[alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
