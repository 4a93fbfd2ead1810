using System.Buffers;

namespace Converge.Xmpp.Xml;

/// <summary>Serializes elements as UTF-8 XML. (To be implemented: see the XML helper brief.)</summary>
public static class XmlWriter
{
    /// <summary>
    /// Writes <paramref name="element"/>. An xmlns declaration is written only where the element's
    /// namespace differs from <paramref name="inheritedNamespace"/> (the stream's default namespace
    /// for a stanza, e.g. "jabber:client").
    /// </summary>
    public static void Write(IBufferWriter<byte> output, XmlElement element, string inheritedNamespace = "")
        => throw new NotImplementedException();

    public static string ToXmlString(XmlElement element, string inheritedNamespace = "")
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, element, inheritedNamespace);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
