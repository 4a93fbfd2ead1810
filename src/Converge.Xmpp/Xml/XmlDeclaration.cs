namespace Converge.Xmpp.Xml;

/// <summary>
/// Checks the one processing instruction RFC 6120 tolerates: the XML declaration before the
/// stream header. Only version 1.x and UTF-8 are accepted.
/// </summary>
internal static class XmlDeclaration
{
    /// <summary>True when the first bytes after "&lt;?" cannot be an XML declaration (so it is some other PI).</summary>
    public static bool IsOtherProcessingInstruction(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && !(start.StartsWith("xml"u8) && XmlChars.IsWhitespace(start[3]));

    /// <summary>Validates the bytes between "&lt;?" and "?&gt;".</summary>
    public static void Validate(ReadOnlySpan<byte> content)
    {
        if (content.Length < 4 || IsOtherProcessingInstruction(content))
        {
            throw XmlErrors.RestrictedXml("processing instructions are not allowed");
        }

        var rest = content[3..];
        var seen = 0; // 1 = version, 2 = encoding, 3 = standalone: they must come in this order
        while (true)
        {
            var spaces = rest.IndexOfAnyExcept(XmlChars.Whitespace);
            if (spaces < 0)
            {
                break;
            }

            if (spaces == 0)
            {
                throw Malformed();
            }

            rest = rest[spaces..];
            var equals = rest.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw Malformed();
            }

            var name = rest[..equals].TrimEnd(" \t\r\n"u8);
            rest = rest[(equals + 1)..].TrimStart(" \t\r\n"u8);
            if (rest.IsEmpty || rest[0] is not ((byte)'\'' or (byte)'"'))
            {
                throw Malformed();
            }

            var end = rest[1..].IndexOf(rest[0]);
            if (end < 0)
            {
                throw Malformed();
            }

            var value = rest.Slice(1, end);
            rest = rest[(end + 2)..];

            var order = name.SequenceEqual("version"u8) ? 1 : name.SequenceEqual("encoding"u8) ? 2 : name.SequenceEqual("standalone"u8) ? 3 : 0;
            if (order <= seen || (order > 1 && seen == 0))
            {
                throw Malformed();
            }

            seen = order;
            switch (order)
            {
                case 1 when !(value.Length >= 3 && value.StartsWith("1."u8) && value[2..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0):
                    throw XmlErrors.NotWellFormed("unsupported XML version");
                case 2 when !System.Text.Ascii.EqualsIgnoreCase(value, "UTF-8"u8):
                    throw XmlErrors.UnsupportedEncoding("only UTF-8 is supported");
                case 3 when !(value.SequenceEqual("yes"u8) || value.SequenceEqual("no"u8)):
                    throw Malformed();
            }
        }

        if (seen == 0)
        {
            throw Malformed();
        }
    }

    private static XmlStreamException Malformed() => XmlErrors.NotWellFormed("malformed XML declaration");
}
