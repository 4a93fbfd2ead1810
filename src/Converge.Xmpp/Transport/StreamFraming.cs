using System.Buffers;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport;

/// <summary>
/// How the server's side of a client stream is put on the wire: the same calls for every transport,
/// so the client protocol (negotiation, SASL, bind, stream management) is written once.
/// </summary>
internal abstract class StreamFraming
{
    /// <summary>The XML stream of RFC 6120 as it is, for TCP.</summary>
    public static StreamFraming Tcp { get; } = new TcpStreamFraming();

    /// <summary>The response stream header (RFC 6120 §4.7) or its equivalent (RFC 7395 &lt;open/&gt;).</summary>
    public abstract void WriteHeader(IBufferWriter<byte> output, string from, string? to, string id, string lang);

    /// <summary>One top-level element: a stanza or a nonza in the client namespace's stream.</summary>
    public abstract void WriteElement(IBufferWriter<byte> output, XmlElement element);

    /// <summary>The end of the stream (&lt;/stream:stream&gt; or &lt;close/&gt;).</summary>
    public abstract void WriteClose(IBufferWriter<byte> output);

    /// <summary>Something that keeps an idle connection open; may write nothing where the transport has its own.</summary>
    public abstract void WriteKeepalive(IBufferWriter<byte> output);
}
