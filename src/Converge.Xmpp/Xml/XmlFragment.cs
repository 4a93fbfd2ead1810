using System.Buffers;
using System.Text;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.Xml;

/// <summary>Parses one stored stanza (serialized by <see cref="XmlWriter"/> with jabber:client as the default namespace).</summary>
internal static class XmlFragment
{
    private static readonly byte[] Open = Encoding.UTF8.GetBytes(
        "<stream:stream xmlns='" + Namespaces.Client + "' xmlns:stream='" + Namespaces.Streams + "'>");

    /// <returns>The element, or null when the text is not a single well-formed element.</returns>
    public static XmlElement? Parse(string xml, XmlLimits limits)
    {
        // What was stored passed the limits on the way in, but the server may have added to it
        // since (a delay stamp, a stanza-id): allow it room rather than lose a stored message.
        var parser = new XmppStreamParser(new XmlLimits
        {
            MaxStanzaBytes = limits.MaxStanzaBytes + 4096,
            MaxDepth = limits.MaxDepth + 2,
            MaxAttributes = limits.MaxAttributes + 4,
            MaxNameBytes = limits.MaxNameBytes,
            MaxStreamHeaderBytes = limits.MaxStreamHeaderBytes,
        });
        var bytes = new byte[Open.Length + Encoding.UTF8.GetByteCount(xml)];
        Open.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(xml, bytes.AsSpan(Open.Length));
        var buffer = new ReadOnlySequence<byte>(bytes);
        try
        {
            XmlElement? result = null;
            while (parser.TryRead(ref buffer, out var ev))
            {
                if (ev.Kind == XmppStreamEventKind.Element)
                {
                    result = ev.Element;
                }
            }

            return result;
        }
        catch (XmlStreamException)
        {
            return null;
        }
    }
}
