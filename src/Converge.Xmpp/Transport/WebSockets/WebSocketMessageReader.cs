using System.Buffers;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport.WebSockets;

/// <summary>
/// Turns the client's WebSocket messages (RFC 7395) back into the XML stream the client protocol
/// reads: &lt;open/&gt; becomes a stream header, &lt;close/&gt; the closing tag, any other element passes
/// as it is. Each message must be exactly one complete element (§3.3.3); a message that is not -
/// two elements, half of one, an element before &lt;open/&gt; - ends the stream. Synchronous, no I/O:
/// it checks each message with its own parser, bounded by the same XML limits as a TCP stream.
/// </summary>
internal sealed class WebSocketMessageReader
{
    private static readonly byte[] CheckHeader =
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"u8.ToArray();

    private readonly XmppStreamParser _check;
    private bool _open;

    public WebSocketMessageReader(XmlLimits limits)
    {
        _check = new XmppStreamParser(limits);
        var header = new ReadOnlySequence<byte>(CheckHeader);
        _check.TryRead(ref header, out _);
    }

    /// <summary>
    /// Writes the stream bytes for one complete WebSocket text message to <paramref name="stream"/>.
    /// Throws <see cref="StreamError"/> for a message that breaks the framing.
    /// </summary>
    public void Translate(ReadOnlySequence<byte> message, IBufferWriter<byte> stream)
    {
        var rest = message;
        XmppStreamEvent ev;
        try
        {
            if (!_check.TryRead(ref rest, out ev) || ev.Kind != XmppStreamEventKind.Element)
            {
                throw new StreamError("bad-format", "Each WebSocket message must be one complete XML element (RFC 7395 §3.3.3).");
            }
        }
        catch (XmlStreamException e)
        {
            throw new StreamError(e.Condition, e.Message);
        }

        if (!IsWhitespace(rest))
        {
            throw new StreamError("bad-format", "A WebSocket message carries exactly one XML element (RFC 7395 §3.3.3).");
        }

        var element = ev.Element!;
        if (element.Namespace == WebSocketFraming.Namespace && element.Name == "open")
        {
            _open = true;
            XmlWriter.WriteStreamHeader(stream, from: null, element.GetAttribute("to"), id: "", Namespaces.Client, element.GetAttribute("xml:lang"));
            return;
        }

        if (!_open)
        {
            throw new StreamError("bad-format", "The stream starts with <open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>.");
        }

        if (element.Namespace == WebSocketFraming.Namespace && element.Name == "close")
        {
            _open = false;
            XmlWriter.WriteStreamClose(stream);
            return;
        }

        // The message as it came: its own namespace declarations are valid inside the header we wrote.
        foreach (var segment in message)
        {
            stream.Write(segment.Span);
        }
    }

    private static bool IsWhitespace(ReadOnlySequence<byte> rest)
    {
        foreach (var segment in rest)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
