using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Hosting;

namespace Converge.Metrics;

/// <summary>
/// Per agreement (peer domain) figures the federation already keeps, observed at scrape time: stanzas
/// in and out, bounces, link state and queue length. A peer label is an agreement's domain (a bounded,
/// configured set); the links of domains without one (open federation) are summed under <c>other</c>.
/// </summary>
internal sealed class PeerObservations
{
    private const string Other = "other";
    private static readonly string[] States = ["Idle", "Connecting", "Up"];

    private readonly XmppService _xmpp;

    public PeerObservations(XmppService xmpp)
    {
        _xmpp = xmpp;
        var meter = ConvergeMeter.Meter;
        meter.CreateObservableCounter("converge.peer.stanzas", ObserveStanzas, "{stanza}", "Stanzas exchanged with a peer provider over server-to-server links, by peer and direction");
        meter.CreateObservableCounter("converge.peer.bounced", ObserveBounced, "{stanza}", "Stanzas for a peer bounced because no link could carry them");
        meter.CreateObservableGauge("converge.peer.link.state", ObserveLinkStates, "{link}", "1 for the outbound link state a peer is in (Idle, Connecting, Up), 0 for the others");
        meter.CreateObservableGauge("converge.peer.inbound_links", ObserveInbound, "{link}", "Authenticated inbound links from a peer");
        meter.CreateObservableGauge("converge.peer.queue.length", ObserveQueues, "{stanza}", "Stanzas waiting for a peer's outbound link");
        meter.CreateObservableGauge("converge.connections", () => (long)_xmpp.Server.ConnectionCount, "{connection}", "Open client connections, bound or not");
    }

    private IEnumerable<Measurement<long>> ObserveStanzas() =>
        ByPeer(l => l.StanzasIn, "in").Concat(ByPeer(l => l.StanzasOut, "out"));

    private IEnumerable<Measurement<long>> ObserveBounced() => ByPeer(l => l.Bounced, null);

    private IEnumerable<Measurement<long>> ObserveInbound() => ByPeer(l => l.InboundLinks, null);

    private IEnumerable<Measurement<long>> ObserveQueues() => ByPeer(l => l.Queued, null);

    private IEnumerable<Measurement<long>> ObserveLinkStates()
    {
        // Every agreement shows a state, linked or not yet, so that "never connected" is visible too.
        var links = _xmpp.Server.PeerLinks().ToDictionary(l => l.Domain, StringComparer.Ordinal);
        foreach (var agreement in _xmpp.Server.Agreements.Agreements)
        {
            var state = links.TryGetValue(agreement.PeerDomain, out var link) ? link.Outbound : "Idle";
            foreach (var candidate in States)
            {
                yield return new Measurement<long>(candidate == state ? 1 : 0, new("peer", agreement.PeerDomain), new("state", candidate));
            }
        }
    }

    private IEnumerable<Measurement<long>> ByPeer(Func<Xmpp.Federation.PeerLinkReport, long> value, string? direction)
    {
        var book = _xmpp.Server.Agreements;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var agreement in book.Agreements)
        {
            totals[agreement.PeerDomain] = 0;
        }

        foreach (var link in _xmpp.Server.PeerLinks())
        {
            var peer = book.Find(link.Domain) is not null ? link.Domain : Other;
            totals[peer] = totals.GetValueOrDefault(peer) + value(link);
        }

        foreach (var (peer, total) in totals)
        {
            yield return direction is null
                ? new Measurement<long>(total, new KeyValuePair<string, object?>("peer", peer))
                : new Measurement<long>(total, new("peer", peer), new("direction", direction));
        }
    }
}
