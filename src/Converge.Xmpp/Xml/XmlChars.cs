using System.Buffers;
using System.Text;

namespace Converge.Xmpp.Xml;

/// <summary>
/// XML 1.0 character classes over UTF-8 bytes, and the validating conversion of parsed bytes
/// to strings. The parser checks ASCII structure byte by byte; anything non-ASCII is checked
/// once, here, when the bytes become a string.
/// </summary>
internal static class XmlChars
{
    public static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>Bytes that may appear in a (qualified) name; non-ASCII bytes are checked on decoding.</summary>
    public static readonly SearchValues<byte> NameBytes = SearchValues.Create(BuildNameBytes());

    /// <summary>Bytes that end a run of character data: markup, references, CR (line-end normalization) and '>' (for "]]>").</summary>
    public static readonly SearchValues<byte> TextStops = SearchValues.Create("<&\r>"u8);

    public static readonly SearchValues<byte> CDataStops = SearchValues.Create("]\r"u8);

    public static readonly SearchValues<byte> AposValueStops = SearchValues.Create("'<&\t\n\r"u8);

    public static readonly SearchValues<byte> QuotValueStops = SearchValues.Create("\"<&\t\n\r"u8);

    /// <summary>C0 controls that XML 1.0 forbids even as raw bytes (tab, LF and CR are allowed).</summary>
    private static readonly SearchValues<byte> ForbiddenControls = SearchValues.Create(BuildForbiddenControls());

    /// <summary>Anything that needs more than a plain ASCII copy: forbidden controls and every non-ASCII byte.</summary>
    private static readonly SearchValues<byte> NotPlainAscii = SearchValues.Create(BuildNotPlainAscii());

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>A byte that may start a name: ASCII letter, '_' or the first byte of a non-ASCII character.</summary>
    public static bool IsNameStartByte(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || b == '_' || b >= 0x80;

    /// <summary>The XML 1.0 Char production.</summary>
    public static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);

    /// <summary>Decodes character data or an attribute value, rejecting invalid UTF-8 and characters XML 1.0 forbids.</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes)
    {
        var special = bytes.IndexOfAny(NotPlainAscii);
        if (special < 0)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        if (bytes[special..].IndexOfAny(ForbiddenControls) >= 0)
        {
            throw XmlErrors.NotWellFormed("a control character not allowed in XML");
        }

        var text = DecodeStrict(bytes);

        // The bytes before the first non-ASCII one are ASCII, so char and byte offsets agree there.
        if (text.AsSpan(special).IndexOfAny('\uFFFE', '\uFFFF') >= 0)
        {
            throw XmlErrors.NotWellFormed("U+FFFE or U+FFFF is not allowed in XML");
        }

        return text;
    }

    /// <summary>Decodes one part of a name (prefix or local name, or "xml:..."), checking the Name production for non-ASCII names.</summary>
    public static string DecodeName(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes))
        {
            // ASCII structure was already checked byte by byte while scanning.
            return Encoding.ASCII.GetString(bytes);
        }

        var name = DecodeStrict(bytes);
        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            if (first ? !IsNameStartChar(rune.Value) : !IsNameChar(rune.Value))
            {
                throw XmlErrors.NotWellFormed($"invalid character U+{rune.Value:X4} in a name");
            }

            first = false;
        }

        return name;
    }

    private static string DecodeStrict(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw XmlErrors.NotWellFormed("invalid UTF-8");
        }
    }

    private static bool IsNameStartChar(int c) =>
        c == ':' || c == '_' || (uint)((c | 0x20) - 'a') <= 'z' - 'a'
        || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
        || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
        || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
        || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);

    private static bool IsNameChar(int c) =>
        IsNameStartChar(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7
        || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);

    private static byte[] BuildNameBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 256; b++)
        {
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b is '_' or '-' or '.' or ':' || b >= 0x80)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    private static byte[] BuildForbiddenControls()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            if (b is not ('\t' or '\n' or '\r'))
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    private static byte[] BuildNotPlainAscii()
    {
        var bytes = new List<byte>(BuildForbiddenControls());
        for (var b = 0x80; b < 256; b++)
        {
            bytes.Add((byte)b);
        }

        return [.. bytes];
    }
}
