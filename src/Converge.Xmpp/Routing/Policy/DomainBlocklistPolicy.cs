using Converge.Xmpp.Federation;
using Converge.Xmpp.Stanzas;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// The server-wide domain blocklist on the routing step, first of the policies: a stanza a peer link
/// carries from a listed domain is dropped unanswered (a blocked server is told nothing), and one of
/// ours for a listed domain never reaches federation - a local client gets <c>not-allowed</c>. The
/// link layer refuses the domain too (<see cref="BlocklistedLinkPolicy"/>); this step covers the second
/// between a change and the links ending, and a listed subdomain of an agreed peer.
/// </summary>
internal sealed partial class DomainBlocklistPolicy(DomainBlocklist blocklist, Federation.Rtbl.RealTimeBlocklists rtbl, StanzaRouter router, ILogger logger)
{
    private static readonly string[] Inbound =
    [
        .. RoutingEventNames.ToAccounts, RoutingEventNames.MessageHost, RoutingEventNames.PresenceHost, RoutingEventNames.IqHost,
        RoutingEventNames.MessageService, RoutingEventNames.PresenceService, RoutingEventNames.IqService,
    ];

    private long _inbound;
    private long _outbound;

    /// <summary>Stanzas stopped since start: from listed domains, and to them.</summary>
    public (long Inbound, long Outbound) Stopped => (Interlocked.Read(ref _inbound), Interlocked.Read(ref _outbound));

    public void Hook(RoutingEvents events)
    {
        events.Hook(Inbound, RoutePriority.DomainBlocklist, "domain blocklist: from listed domains", FromAsync);
        events.Hook(RoutingEventNames.RouteRemote, RoutePriority.DomainBlocklist, "domain blocklist: to listed domains", ToAsync);
    }

    private ValueTask<bool> FromAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Peer || routed.From is not { } from)
        {
            return ValueTask.FromResult(false);
        }

        if (!blocklist.IsBlocked(from.Domain))
        {
            if (!rtbl.Lists(from))
            {
                return ValueTask.FromResult(false);
            }

            Diagnostics.AbuseMetrics.BlockedByRtbl();
            LogDroppedByRtbl(logger, routed.Stanza.Element.Name, from.ToString());
            return ValueTask.FromResult(true);
        }

        Interlocked.Increment(ref _inbound);
        Diagnostics.AbuseMetrics.BlockedByDomain(inbound: true);
        LogDropped(logger, routed.Stanza.Element.Name, from.ToString());
        return ValueTask.FromResult(true);
    }

    private async ValueTask<bool> ToAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.To is not { } to || !blocklist.IsBlocked(to.Domain))
        {
            return false;
        }

        Interlocked.Increment(ref _outbound);
        Diagnostics.AbuseMetrics.BlockedByDomain(inbound: false);
        LogRefused(logger, routed.Stanza.Element.Name, to.ToString());
        if (routed.Origin == StanzaOrigin.Client && routed.Stanza.Kind != StanzaKind.Presence && routed.Stanza.Type != "error")
        {
            await router.RefuseAsync(routed, "not-allowed", $"This provider does not exchange messages with {to.Domain}.", cancellationToken, type: "cancel")
                .ConfigureAwait(false);
        }

        return true;
    }

    [LoggerMessage(EventId = 4552, Level = LogLevel.Information, Message = "Dropped a {Kind} from {From}: its domain is on the server's blocklist")]
    private static partial void LogDropped(ILogger logger, string kind, string from);

    [LoggerMessage(EventId = 4573, Level = LogLevel.Information, Message = "Dropped a {Kind} from {From}: listed on a real-time blocklist")]
    private static partial void LogDroppedByRtbl(ILogger logger, string kind, string from);

    [LoggerMessage(EventId = 4553, Level = LogLevel.Information, Message = "Refused a {Kind} to {To}: its domain is on the server's blocklist")]
    private static partial void LogRefused(ILogger logger, string kind, string to);
}
