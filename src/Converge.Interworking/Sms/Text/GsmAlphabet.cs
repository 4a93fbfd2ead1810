using System.Collections.Frozen;

namespace Converge.Interworking.Sms.Text;

/// <summary>
/// The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1). SMPP carries
/// septets unpacked, one per octet, so "encoding" here yields one octet per septet; an extension
/// character is ESC (0x1B) followed by its code and costs two septets.
/// </summary>
internal static class GsmAlphabet
{
    public const byte Escape = 0x1B;

    /// <summary>The basic character set, indexed by septet. 0x1B (ESC) is never looked up as a character.</summary>
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅå" +
        "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ" +
        " !\"#¤%&'()*+,-./" +
        "0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNO" +
        "PQRSTUVWXYZÄÖÑÜ§" +
        "¿abcdefghijklmno" +
        "pqrstuvwxyzäöñüà";

    /// <summary>The extension table: septet after ESC → character.</summary>
    private static readonly FrozenDictionary<byte, char> ExtensionDecode = new Dictionary<byte, char>
    {
        [0x0A] = '\f',
        [0x14] = '^',
        [0x28] = '{',
        [0x29] = '}',
        [0x2F] = '\\',
        [0x3C] = '[',
        [0x3D] = '~',
        [0x3E] = ']',
        [0x40] = '|',
        [0x65] = '€',
    }.ToFrozenDictionary();

    /// <summary>Character → septet; extension characters carry 0x100 on top of their code.</summary>
    private static readonly FrozenDictionary<char, ushort> Encode = BuildEncodeTable();

    /// <summary>Septets <paramref name="c"/> costs: 1, 2 for an extension character, 0 when it has no GSM form.</summary>
    public static int SeptetCost(char c) =>
        Encode.TryGetValue(c, out var code) ? (code > 0xFF ? 2 : 1) : 0;

    /// <summary>The septets of the whole text, or -1 when some character has no GSM form.</summary>
    public static int CountSeptets(ReadOnlySpan<char> text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            var cost = SeptetCost(c);
            if (cost == 0)
            {
                return -1;
            }

            septets += cost;
        }

        return septets;
    }

    public static bool CanEncode(ReadOnlySpan<char> text) => CountSeptets(text) >= 0;

    /// <summary>Writes the unpacked septets of <paramref name="text"/>; every character must be encodable.</summary>
    public static int GetBytes(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var written = 0;
        foreach (var c in text)
        {
            if (!Encode.TryGetValue(c, out var code))
            {
                throw new ArgumentException($"U+{(int)c:X4} has no form in the GSM 7-bit default alphabet.", nameof(text));
            }

            if (code > 0xFF)
            {
                destination[written++] = Escape;
            }

            destination[written++] = (byte)code;
        }

        return written;
    }

    public static byte[] GetBytes(string text)
    {
        var septets = CountSeptets(text);
        if (septets < 0)
        {
            throw new ArgumentException("The text has characters outside the GSM 7-bit default alphabet.", nameof(text));
        }

        var bytes = new byte[septets];
        GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes unpacked septets. As TS 23.038 asks of a receiver: ESC before a code the extension
    /// table lacks shows the basic character of that code; ESC ESC and a trailing ESC show a space.
    /// Octets above 0x7F are not septets and show as '?'.
    /// </summary>
    public static string GetString(ReadOnlySpan<byte> septets)
    {
        var chars = septets.Length <= 512 ? stackalloc char[septets.Length] : new char[septets.Length];
        var count = 0;
        for (var i = 0; i < septets.Length; i++)
        {
            var septet = septets[i];
            if (septet > 0x7F)
            {
                chars[count++] = '?';
            }
            else if (septet != Escape)
            {
                chars[count++] = Basic[septet];
            }
            else if (i + 1 == septets.Length || septets[i + 1] == Escape)
            {
                chars[count++] = ' ';
                i++;
            }
            else
            {
                var code = septets[++i];
                chars[count++] = ExtensionDecode.TryGetValue(code, out var extended) ? extended
                    : code > 0x7F ? '?' : Basic[code];
            }
        }

        return new string(chars[..count]);
    }

    private static FrozenDictionary<char, ushort> BuildEncodeTable()
    {
        var table = new Dictionary<char, ushort>();
        for (var septet = 0; septet < Basic.Length; septet++)
        {
            if (septet != Escape)
            {
                table[Basic[septet]] = (ushort)septet;
            }
        }

        foreach (var (code, c) in ExtensionDecode)
        {
            table[c] = (ushort)(0x100 | code);
        }

        return table.ToFrozenDictionary();
    }
}
