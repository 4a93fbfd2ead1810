using System.Buffers;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport.WebSockets;

/// <summary>
/// RFC 7395 §3.3: every element is a document of its own (all namespaces declared on it, so stanzas
/// carry xmlns='jabber:client'), the stream header is &lt;open/&gt; and its end &lt;close/&gt;. Each is
/// followed by a NUL byte - a byte XML can never contain - which tells <see cref="WebSocketTransport"/>
/// where one WebSocket message ends, however many elements a flush carries.
/// </summary>
internal sealed class WebSocketFraming : StreamFraming
{
    public const string Namespace = "urn:ietf:params:xml:ns:xmpp-framing";

    /// <summary>Ends one message in the outbound pipe.</summary>
    public const byte MessageEnd = 0;

    public static WebSocketFraming Instance { get; } = new();

    public override void WriteHeader(IBufferWriter<byte> output, string from, string? to, string id, string lang)
    {
        var open = new XmlElement("open", Namespace).SetAttribute("from", from);
        if (to is not null)
        {
            open.SetAttribute("to", to);
        }

        open.SetAttribute("id", id).SetAttribute("xml:lang", lang).SetAttribute("version", "1.0");
        WriteElement(output, open);
    }

    public override void WriteElement(IBufferWriter<byte> output, XmlElement element)
    {
        XmlWriter.Write(output, element, inheritedNamespace: "");
        output.Write([MessageEnd]);
    }

    public override void WriteClose(IBufferWriter<byte> output) => WriteElement(output, new XmlElement("close", Namespace));

    /// <summary>Nothing: whitespace is not a message (RFC 7395 §3.6); WebSocket pings keep the connection.</summary>
    public override void WriteKeepalive(IBufferWriter<byte> output)
    {
    }
}
