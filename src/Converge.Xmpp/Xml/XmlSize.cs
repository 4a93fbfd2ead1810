using System.Text;

namespace Converge.Xmpp.Xml;

/// <summary>
/// The size an element takes when written, to within escaping: names, attributes and text in UTF-8
/// plus the markup around them. Cheap (no serialization, no allocation), so queues can be bounded in
/// bytes as the client will receive them.
/// </summary>
public static class XmlSize
{
    public static long Of(XmlElement element)
    {
        // <name xmlns='ns'> ... </name>
        long size = (2 * element.Name.Length) + 5 + (element.Namespace.Length > 0 ? element.Namespace.Length + 9 : 0);
        foreach (var attribute in element.Attributes)
        {
            size += attribute.Name.Length + Encoding.UTF8.GetByteCount(attribute.Value) + 4;
        }

        foreach (var child in element.Children)
        {
            size += child switch
            {
                XmlElement e => Of(e),
                XmlText t => Encoding.UTF8.GetByteCount(t.Value),
                _ => 0,
            };
        }

        return size;
    }
}
