using System.Text;

namespace Converge.Xmpp.Xml;

/// <summary>
/// References RFC 6120 allows: the five predefined entities and character references to
/// characters XML 1.0 allows. Any other entity would need a DTD, which restricted XML forbids.
/// </summary>
internal static class EntityReference
{
    /// <summary>Appends what the reference <paramref name="name"/> (between '&amp;' and ';') stands for.</summary>
    public static void Resolve(ReadOnlySpan<byte> name, ByteBuffer target)
    {
        if (name.IsEmpty)
        {
            throw XmlErrors.NotWellFormed("empty entity reference");
        }

        if (name[0] == '#')
        {
            Span<byte> utf8 = stackalloc byte[4];
            var length = new Rune(ParseCharacterReference(name[1..])).EncodeToUtf8(utf8);
            target.Append(utf8[..length]);
        }
        else if (name.SequenceEqual("lt"u8))
        {
            target.Append((byte)'<');
        }
        else if (name.SequenceEqual("gt"u8))
        {
            target.Append((byte)'>');
        }
        else if (name.SequenceEqual("amp"u8))
        {
            target.Append((byte)'&');
        }
        else if (name.SequenceEqual("apos"u8))
        {
            target.Append((byte)'\'');
        }
        else if (name.SequenceEqual("quot"u8))
        {
            target.Append((byte)'"');
        }
        else if (XmlChars.IsNameStartByte(name[0]) && !name.Contains((byte)'#'))
        {
            throw XmlErrors.RestrictedXml("entity references other than the predefined ones are not allowed");
        }
        else
        {
            throw XmlErrors.NotWellFormed("malformed entity reference");
        }
    }

    /// <summary>The digits of &amp;#...; or &amp;#x...; as a code point XML 1.0 allows.</summary>
    private static int ParseCharacterReference(ReadOnlySpan<byte> digits)
    {
        var hex = !digits.IsEmpty && digits[0] == 'x';
        if (hex)
        {
            digits = digits[1..];
        }

        if (digits.IsEmpty)
        {
            throw XmlErrors.NotWellFormed("malformed character reference");
        }

        var value = 0;
        foreach (var d in digits)
        {
            var digit = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => throw XmlErrors.NotWellFormed("malformed character reference"),
            };
            value = (value * (hex ? 16 : 10)) + digit;
            if (value > 0x10FFFF)
            {
                throw XmlErrors.NotWellFormed("character reference out of range");
            }
        }

        if (!XmlChars.IsXmlChar(value))
        {
            throw XmlErrors.NotWellFormed($"character reference to U+{value:X4}, which XML does not allow");
        }

        return value;
    }
}
