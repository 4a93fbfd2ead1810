using System.Collections.Concurrent;
using Converge.Core.Federation;
using Converge.Xmpp.Stanzas;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// Per-sender rates on the routing step, after the agreement: how many messages and subscription
/// requests a minute one local user may send (Limits.Client.MessagesPerMinute and
/// SubscriptionRequestsPerMinute), and one user of a peer provider may send to ours (the agreement's
/// RateLimit and SubscriptionRateLimit). A local user is told (policy-violation, type wait); a peer's
/// refused subscription request is dropped without an answer, so a flood is not echoed back, and
/// every refusal is counted per peer domain.
/// </summary>
internal sealed partial class SenderRatePolicy(
    Func<AgreementBook> agreements, Server.ClientLimits limits, StanzaRouter router, ILogger logger, Func<long>? clock = null)
{
    private static readonly string[] MessageEvents =
        [RoutingEventNames.MessageBare, RoutingEventNames.MessageFull, RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy];

    private readonly SenderRateBuckets _messages = new(clock);
    private readonly SenderRateBuckets _subscriptions = new(clock);
    private readonly ConcurrentDictionary<string, long[]> _refusedPerPeer = new(StringComparer.Ordinal);
    private long _refusedLocal;

    public void Hook(RoutingEvents events)
    {
        events.Hook(MessageEvents, RoutePriority.SenderRates, "anti-abuse: messages per sender", MessageAsync);
        events.Hook(RoutingEventNames.PresenceOutbound, RoutePriority.SenderRates, "anti-abuse: local users' subscription requests", LocalSubscriptionAsync);
        events.Hook(RoutingEventNames.PresenceBare, RoutePriority.SenderRates, "anti-abuse: peer users' subscription requests", PeerSubscriptionAsync);
    }

    /// <summary>Stanzas refused for rate since start: local users' together.</summary>
    public long RefusedLocal => Interlocked.Read(ref _refusedLocal);

    /// <summary>Messages and subscription requests from one peer's users refused for rate since start.</summary>
    public (long Messages, long Subscriptions) RefusedFrom(string peerDomain) =>
        _refusedPerPeer.TryGetValue(peerDomain, out var counts) ? (Interlocked.Read(ref counts[0]), Interlocked.Read(ref counts[1])) : (0, 0);

    private async ValueTask<bool> MessageAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Kind != StanzaKind.Message || stanza.Type == "error" || stanza.From is not { } from)
        {
            return false;
        }

        switch (routed.Origin)
        {
            case StanzaOrigin.Client when limits.MessagesPerMinute > 0 && !_messages.TryTake(from.Bare.ToString(), limits.MessagesPerMinute):
                Interlocked.Increment(ref _refusedLocal);
                LogLocalRefused(logger, from.Bare.ToString(), "messages", limits.MessagesPerMinute);
                await router.RefuseAsync(routed, "policy-violation", $"More than {limits.MessagesPerMinute} messages a minute; slow down.", cancellationToken, type: "wait").ConfigureAwait(false);
                return true;
            case StanzaOrigin.Peer when routed.PeerDomain is { } peer && agreements().Find(peer) is { RateLimit: > 0 } agreement
                && !_messages.TryTake("peer:" + from.Bare, agreement.RateLimit):
                Interlocked.Increment(ref Counts(peer)[0]);
                LogPeerRefused(logger, from.Bare.ToString(), "messages", agreement.RateLimit);
                await router.RefuseAsync(routed, "policy-violation", $"More than {agreement.RateLimit} messages a minute from one user of {peer}.", cancellationToken, type: "wait").ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private async ValueTask<bool> LocalSubscriptionAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (routed.Origin != StanzaOrigin.Client || stanza.Type != "subscribe" || stanza.From is not { } from
            || _subscriptions.TryTake(from.Bare.ToString(), limits.SubscriptionRequestsPerMinute))
        {
            return false;
        }

        Interlocked.Increment(ref _refusedLocal);
        LogLocalRefused(logger, from.Bare.ToString(), "subscription requests", limits.SubscriptionRequestsPerMinute);
        await router.RefuseAsync(routed, "policy-violation", $"More than {limits.SubscriptionRequestsPerMinute} subscription requests a minute; slow down.", cancellationToken, type: "wait").ConfigureAwait(false);
        return true;
    }

    private ValueTask<bool> PeerSubscriptionAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (routed.Origin != StanzaOrigin.Peer || stanza.Type != "subscribe" || stanza.From is not { } from || routed.PeerDomain is not { } peer
            || agreements().Find(peer) is not { SubscriptionRateLimit: > 0 } agreement
            || _subscriptions.TryTake("peer:" + from.Bare, agreement.SubscriptionRateLimit))
        {
            return ValueTask.FromResult(false);
        }

        // Dropped, not answered: an error for each request of a flood would only double it.
        Interlocked.Increment(ref Counts(peer)[1]);
        LogPeerRefused(logger, from.Bare.ToString(), "subscription requests", agreement.SubscriptionRateLimit);
        return ValueTask.FromResult(true);
    }

    private long[] Counts(string peer) => _refusedPerPeer.GetOrAdd(peer, static _ => new long[2]);

    [LoggerMessage(EventId = 4520, Level = LogLevel.Warning, Message = "{Sender} sends more {What} than {Limit} a minute; refused")]
    private static partial void LogLocalRefused(ILogger logger, string sender, string what, int limit);

    [LoggerMessage(EventId = 4521, Level = LogLevel.Warning, Message = "Peer user {Sender} sends more {What} than the agreement's {Limit} a minute; refused")]
    private static partial void LogPeerRefused(ILogger logger, string sender, string what, int limit);
}
