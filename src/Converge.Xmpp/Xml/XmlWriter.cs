using System.Buffers;

namespace Converge.Xmpp.Xml;

/// <summary>
/// Serializes elements as UTF-8 XML straight into an <see cref="IBufferWriter{T}"/>. Attribute values
/// are written in single quotes. Elements in the streams namespace (features, error) are written
/// with the customary "stream:" prefix, declared on them so they stand alone (WebSocket framing).
/// Characters XML cannot carry (C0 controls, U+FFFE/U+FFFF, lone surrogates) are written as U+FFFD.
/// </summary>
public static class XmlWriter
{
    private const string StreamsNamespace = XmlNamespaceNames.Streams;

    /// <summary>Character data: markup characters, CR (which a parser would turn into LF) and characters XML forbids.</summary>
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create(BuildSpecials("&<>\r"));

    /// <summary>Attribute values in single quotes: also ' and the whitespace a parser would normalize to a space.</summary>
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create(BuildSpecials("&<>'\t\n\r"));

    /// <summary>
    /// Writes <paramref name="element"/>. An xmlns declaration is written only where the element's
    /// namespace differs from <paramref name="inheritedNamespace"/> (the stream's default namespace
    /// for a stanza, e.g. "jabber:client").
    /// </summary>
    public static void Write(IBufferWriter<byte> output, XmlElement element, string inheritedNamespace = "")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(inheritedNamespace);
        var writer = new Utf8Output(output);
        WriteElement(ref writer, element, inheritedNamespace, streamPrefixInScope: false);
        writer.Commit();
    }

    public static string ToXmlString(XmlElement element, string inheritedNamespace = "")
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, element, inheritedNamespace);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the XML declaration and the stream header:
    /// &lt;?xml version='1.0'?&gt;&lt;stream:stream xmlns='<paramref name="contentNamespace"/>'
    /// xmlns:stream='http://etherx.jabber.org/streams' from='..' to='..' id='..' xml:lang='..' version='1.0'&gt;.
    /// Null or empty from, to, id and lang are left out (an initiating entity sends no id).
    /// </summary>
    public static void WriteStreamHeader(IBufferWriter<byte> output, string? from, string? to, string id, string contentNamespace, string? lang = "en")
        => WriteStreamHeader(output, from, to, id, contentNamespace, lang, []);

    /// <summary>
    /// Writes the stream header with further prefix declarations, e.g. ("db", "jabber:server:dialback")
    /// on a server-to-server stream.
    /// </summary>
    public static void WriteStreamHeader(
        IBufferWriter<byte> output,
        string? from,
        string? to,
        string? id,
        string contentNamespace,
        string? lang,
        IReadOnlyList<KeyValuePair<string, string>> prefixedNamespaces)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(contentNamespace);
        ArgumentNullException.ThrowIfNull(prefixedNamespaces);
        var writer = new Utf8Output(output);
        writer.Write("<?xml version='1.0'?><stream:stream xmlns='"u8);
        writer.WriteEscaped(contentNamespace, AttributeSpecials);
        writer.Write("' xmlns:stream='http://etherx.jabber.org/streams'"u8);
        foreach (var (prefix, ns) in prefixedNamespaces)
        {
            writer.Write(" xmlns:"u8);
            writer.Write(prefix);
            WriteAttributeValue(ref writer, ns);
        }

        WriteOptionalAttribute(ref writer, " from="u8, from);
        WriteOptionalAttribute(ref writer, " to="u8, to);
        WriteOptionalAttribute(ref writer, " id="u8, id);
        WriteOptionalAttribute(ref writer, " xml:lang="u8, lang);
        writer.Write(" version='1.0'>"u8);
        writer.Commit();
    }

    /// <summary>
    /// Writes <paramref name="element"/> under a prefix the stream header declared for its namespace
    /// (<c>db:</c> for dialback on a server stream), with no namespace declaration of its own: some
    /// servers match the qualified name ("db:result") rather than the namespace. Its children are
    /// written as <see cref="Write"/> would, inside the element's namespace.
    /// </summary>
    public static void WritePrefixed(IBufferWriter<byte> output, XmlElement element, string prefix)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var writer = new Utf8Output(output);
        writer.Write("<"u8);
        writer.Write(prefix);
        writer.Write(":"u8);
        writer.Write(element.Name);
        WriteAttributes(ref writer, element.Attributes);
        var children = element.Children;
        if (children.Count == 0)
        {
            writer.Write("/>"u8);
        }
        else
        {
            writer.Write(">"u8);
            for (var i = 0; i < children.Count; i++)
            {
                switch (children[i])
                {
                    case XmlElement child:
                        WriteElement(ref writer, child, element.Namespace, streamPrefixInScope: true);
                        break;
                    case XmlText text:
                        writer.WriteEscaped(text.Value, TextSpecials);
                        break;
                }
            }

            writer.Write("</"u8);
            writer.Write(prefix);
            writer.Write(":"u8);
            writer.Write(element.Name);
            writer.Write(">"u8);
        }

        writer.Commit();
    }

    /// <summary>Writes &lt;/stream:stream&gt;.</summary>
    public static void WriteStreamClose(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("</stream:stream>"u8);
    }

    private static void WriteElement(ref Utf8Output writer, XmlElement element, string defaultNamespace, bool streamPrefixInScope)
    {
        var streamPrefixed = element.Namespace == StreamsNamespace;
        writer.Write("<"u8);
        WriteQualifiedName(ref writer, element.Name, streamPrefixed);
        if (streamPrefixed)
        {
            if (!streamPrefixInScope)
            {
                writer.Write(" xmlns:stream='http://etherx.jabber.org/streams'"u8);
                streamPrefixInScope = true;
            }
        }
        else if (element.Namespace != defaultNamespace)
        {
            writer.Write(" xmlns"u8);
            WriteAttributeValue(ref writer, element.Namespace);
            defaultNamespace = element.Namespace;
        }

        WriteAttributes(ref writer, element.Attributes);

        var children = element.Children;
        if (children.Count == 0)
        {
            writer.Write("/>"u8);
            return;
        }

        writer.Write(">"u8);
        for (var i = 0; i < children.Count; i++)
        {
            switch (children[i])
            {
                case XmlElement child:
                    WriteElement(ref writer, child, defaultNamespace, streamPrefixInScope);
                    break;
                case XmlText text:
                    writer.WriteEscaped(text.Value, TextSpecials);
                    break;
            }
        }

        writer.Write("</"u8);
        WriteQualifiedName(ref writer, element.Name, streamPrefixed);
        writer.Write(">"u8);
    }

    private static void WriteQualifiedName(ref Utf8Output writer, string name, bool streamPrefixed)
    {
        if (streamPrefixed)
        {
            writer.Write("stream:"u8);
        }

        writer.Write(name);
    }

    private static void WriteAttributes(ref Utf8Output writer, IReadOnlyList<XmlAttribute> attributes)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            if (attribute.Namespace.Length == 0)
            {
                if (attribute.Name == "xmlns" || attribute.Name.StartsWith("xmlns:", StringComparison.Ordinal))
                {
                    continue; // an element's namespace is its Namespace; a stray declaration would contradict it
                }

                writer.Write(" "u8);
            }
            else if (attribute.Namespace == XmlNamespaceNames.Xml)
            {
                writer.Write(attribute.Name.StartsWith("xml:", StringComparison.Ordinal) ? " "u8 : " xml:"u8);
            }
            else
            {
                // Each distinct namespace gets the prefix "a<index of its first attribute>", declared there.
                var first = 0;
                while (attributes[first].Namespace != attribute.Namespace)
                {
                    first++;
                }

                if (first == i)
                {
                    writer.Write(" xmlns:a"u8);
                    WriteNumber(ref writer, i);
                    WriteAttributeValue(ref writer, attribute.Namespace);
                }

                writer.Write(" a"u8);
                WriteNumber(ref writer, first);
                writer.Write(":"u8);
            }

            writer.Write(attribute.Name);
            WriteAttributeValue(ref writer, attribute.Value);
        }
    }

    /// <summary>Writes ='value' with the value escaped.</summary>
    private static void WriteAttributeValue(ref Utf8Output writer, string value)
    {
        writer.Write("='"u8);
        writer.WriteEscaped(value, AttributeSpecials);
        writer.Write("'"u8);
    }

    private static void WriteOptionalAttribute(ref Utf8Output writer, ReadOnlySpan<byte> nameWithSpace, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.Write(nameWithSpace);
            writer.Write("'"u8);
            writer.WriteEscaped(value, AttributeSpecials);
            writer.Write("'"u8);
        }
    }

    private static void WriteNumber(ref Utf8Output writer, int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
        writer.Write(digits[..length]);
    }

    private static string BuildSpecials(string markup)
    {
        var chars = new List<char>(markup);
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                chars.Add(c);
            }
        }

        chars.Add('\uFFFE');
        chars.Add('\uFFFF');
        return new string([.. chars]);
    }
}
