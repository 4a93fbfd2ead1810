using Converge.Xmpp.Diagnostics;

namespace Converge.Xmpp.Routing.Metering;

/// <summary>
/// Counts every stanza that enters the routing step, by kind, route and origin, ahead of all policy
/// (<see cref="RoutePriority.Metering"/>): a refused stanza was routed too. It never handles a stanza.
/// A stanza sent on along another event (technology selection to <c>route/legacy</c>) is counted once,
/// under the route it was first classified for; the legacy decisions have their own counter.
/// </summary>
internal sealed class RoutingMeter
{
    private static readonly string[] Events =
    [
        RoutingEventNames.MessageBare, RoutingEventNames.MessageFull, RoutingEventNames.MessageHost, RoutingEventNames.MessageService,
        RoutingEventNames.PresenceBare, RoutingEventNames.PresenceFull, RoutingEventNames.PresenceHost, RoutingEventNames.PresenceService,
        RoutingEventNames.IqBare, RoutingEventNames.IqFull, RoutingEventNames.IqHost, RoutingEventNames.IqService,
        RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy,
    ];

    public void Hook(RoutingEvents events) =>
        events.Hook(Events, RoutePriority.Metering, "metrics: count the stanza by kind, route and origin", Count);

    private static ValueTask<bool> Count(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (!routed.Metered)
        {
            routed.Metered = true;
            XmppMetrics.StanzaRouted(routed.Stanza.Kind, routed.Target, routed.Origin);
        }

        return ValueTask.FromResult(false);
    }
}
