using System.Buffers;
using Converge.Core.Addressing;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Xml;

namespace Converge.Fuzz.Targets;

/// <summary>
/// Server Dialback (XEP-0220) as an inbound server link reads it: a jabber:server stream that
/// declares the db prefix, whose &lt;db:result/&gt; and &lt;db:verify/&gt; elements are read the
/// way InboundLink reads them (attributes, JID domain checks, the key check of DialbackKeys).
/// The network half (asking the authoritative server) is left out: it sends, it does not parse.
/// </summary>
internal sealed class DialbackTarget : IFuzzTarget
{
    private static readonly byte[] Header =
        "<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' xmlns:stream='http://etherx.jabber.org/streams' to='a.example' from='b.example' version='1.0'>"u8.ToArray();

    private readonly XmlLimits _limits = new();
    private readonly DialbackKeys _keys = new("fuzz secret");

    public string Name => "dialback";

    public void Run(ReadOnlySpan<byte> input)
    {
        var parser = new XmppStreamParser(_limits);
        var stream = new ReadOnlySequence<byte>([.. Header, .. input]);
        try
        {
            while (parser.TryRead(ref stream, out var streamEvent))
            {
                if (streamEvent.Kind == XmppStreamEventKind.Element && streamEvent.Element!.Namespace == FederationNamespaces.Dialback)
                {
                    Read(streamEvent.Element);
                }
            }
        }
        catch (XmlStreamException)
        {
            // The documented refusal: the link ends with this stream error.
        }
    }

    private void Read(XmlElement element)
    {
        var from = element.GetAttribute("from");
        var to = element.GetAttribute("to");
        var id = element.GetAttribute("id");
        var type = element.GetAttribute("type");
        if (from is null || to is null)
        {
            return;
        }

        if (element.Name == "result" && type is null)
        {
            if (Jid.TryParse(to, out var toJid) && toJid.IsDomain && Jid.TryParse(from, out var fromJid) && fromJid.IsDomain)
            {
                var key = element.Text.Trim();
                if (key.Length > 0 && _keys.Verify(toJid.Domain, fromJid.Domain, "stream-1", key))
                {
                    throw new FuzzFindingException($"A dialback key the fuzzer made up was accepted: {key}");
                }
            }
        }
        else if (element.Name == "verify" && id is not null && type is null)
        {
            _ = _keys.Verify(from, to, id, element.Text);
        }
    }
}
