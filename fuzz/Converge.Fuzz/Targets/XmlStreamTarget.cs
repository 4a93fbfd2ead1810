using System.Buffers;
using System.Text;
using Converge.Xmpp.Xml;

namespace Converge.Fuzz.Targets;

/// <summary>
/// The XMPP stream parser (Xml/XmppStreamParser) fed as a connection feeds it: in reads of a
/// fuzzed size. Every element it hands out is written back with XmlWriter and parsed again: what
/// the server relays must be XML the server itself (and so a peer) accepts, with the same meaning.
/// </summary>
internal sealed class XmlStreamTarget : IFuzzTarget
{
    private static readonly byte[] NoNamespaceHeader =
        "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"u8.ToArray();

    private readonly XmlLimits _limits = new() { MaxStanzaBytes = 64 * 1024, MaxStreamHeaderBytes = 4096 };

    public string Name => "xml";

    public void Run(ReadOnlySpan<byte> input)
    {
        var parser = new XmppStreamParser(_limits);
        var body = ChunkedInput.Body(input);
        var size = ChunkedInput.ChunkSize(input);
        try
        {
            for (var offset = 0; offset < body.Length; offset += size)
            {
                var read = new ReadOnlySequence<byte>(body.Slice(offset, Math.Min(size, body.Length - offset)).ToArray());
                while (parser.TryRead(ref read, out var streamEvent))
                {
                    if (streamEvent.Kind == XmppStreamEventKind.Element)
                    {
                        CheckRoundTrip(streamEvent.Element!, parser.ContentNamespace);
                    }
                }
            }
        }
        catch (XmlStreamException)
        {
            // The documented refusal: the connection ends with this stream error.
        }
    }

    private void CheckRoundTrip(XmlElement element, string contentNamespace)
    {
        var written = XmlWriter.ToXmlString(element, contentNamespace);
        var reparser = new XmppStreamParser(_limits);
        // A stream header without a default namespace leaves elements in no namespace; the reparse keeps that.
        var header = contentNamespace.Length == 0
            ? NoNamespaceHeader
            : Encoding.UTF8.GetBytes($"<stream:stream xmlns='{System.Security.SecurityElement.Escape(contentNamespace)}' xmlns:stream='http://etherx.jabber.org/streams'>");
        var bytes = new ReadOnlySequence<byte>([.. header, .. Encoding.UTF8.GetBytes(written)]);
        try
        {
            if (!reparser.TryRead(ref bytes, out var headerEvent) || headerEvent.Kind != XmppStreamEventKind.StreamOpen)
            {
                throw new FuzzFindingException($"The stream header before a written element did not parse: {written}");
            }

            if (!reparser.TryRead(ref bytes, out var again) || again.Kind != XmppStreamEventKind.Element)
            {
                throw new FuzzFindingException($"A written element did not parse as one element: {written}");
            }

            var rewritten = XmlWriter.ToXmlString(again.Element!, contentNamespace);
            if (rewritten != written)
            {
                throw new FuzzFindingException($"Writing is not stable: {written} became {rewritten}");
            }
        }
        catch (XmlStreamException e)
        {
            // Limits may refuse what the writer made larger (escapes); anything else is a writer bug.
            if (e.Condition != "policy-violation")
            {
                throw new FuzzFindingException($"A written element was refused ({e.Condition}: {e.Message}): {written}");
            }
        }
    }
}
