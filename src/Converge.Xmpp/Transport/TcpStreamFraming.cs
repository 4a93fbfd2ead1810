using System.Buffers;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport;

/// <summary>RFC 6120 on TCP: one XML document for the whole stream, stanzas inheriting jabber:client.</summary>
internal sealed class TcpStreamFraming : StreamFraming
{
    public override void WriteHeader(IBufferWriter<byte> output, string from, string? to, string id, string lang) =>
        XmlWriter.WriteStreamHeader(output, from, to, id, Namespaces.Client, lang);

    public override void WriteElement(IBufferWriter<byte> output, XmlElement element) =>
        XmlWriter.Write(output, element, Namespaces.Client);

    public override void WriteClose(IBufferWriter<byte> output) => XmlWriter.WriteStreamClose(output);

    public override void WriteKeepalive(IBufferWriter<byte> output) => output.Write(" "u8);
}
