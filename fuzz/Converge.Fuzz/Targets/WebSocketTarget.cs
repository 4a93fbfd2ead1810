using System.Buffers;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport.WebSockets;
using Converge.Xmpp.Xml;

namespace Converge.Fuzz.Targets;

/// <summary>
/// XMPP over WebSocket (RFC 7395): the client's text messages, separated in the input by 0xFF,
/// through WebSocketMessageReader, which turns &lt;open/&gt;/&lt;close/&gt; into the stream the
/// client protocol reads; what it writes is then parsed as that stream. A framing violation is a
/// StreamError (the documented refusal); the stream it writes must never be malformed XML.
/// WebSocket frames themselves are Kestrel's; host-meta is written, never parsed, so has no target.
/// </summary>
internal sealed class WebSocketTarget : IFuzzTarget
{
    private readonly XmlLimits _limits = new() { MaxStanzaBytes = 64 * 1024 };

    public string Name => "websocket";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new WebSocketMessageReader(_limits);
        var client = new XmppStreamParser(_limits);
        var rest = input;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)0xFF);
            var message = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var written = new ArrayBufferWriter<byte>();
            try
            {
                reader.Translate(new ReadOnlySequence<byte>(message.ToArray()), written);
            }
            catch (StreamError)
            {
                return; // the documented refusal: the server closes with this stream error
            }

            ParseWritten(client, written.WrittenMemory);
        }
    }

    /// <summary>
    /// What the reader wrote is what the client protocol parses: it must be well-formed. Each
    /// &lt;open/&gt; is a stream (re)start, where the client protocol resets its parser too.
    /// </summary>
    private static void ParseWritten(XmppStreamParser client, ReadOnlyMemory<byte> written)
    {
        if (written.Span.StartsWith("<?xml"u8) || written.Span.StartsWith("<stream:stream"u8))
        {
            client.Reset();
        }

        var sequence = new ReadOnlySequence<byte>(written);
        try
        {
            while (client.TryRead(ref sequence, out _))
            {
            }
        }
        catch (XmlStreamException e) when (e.Condition != XmlErrors.PolicyViolationCondition)
        {
            throw new FuzzFindingException($"WebSocketMessageReader wrote a stream its parser refuses ({e.Condition}: {e.Message}).");
        }
    }
}
