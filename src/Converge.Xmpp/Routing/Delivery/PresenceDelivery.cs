using Converge.Xmpp.Im;

namespace Converge.Xmpp.Routing.Delivery;

/// <summary>Presence for a local account (RFC 6121 §4), and presence a local client announces.</summary>
internal sealed class PresenceDelivery(PresenceModule presence)
{
    public void Hook(RoutingEvents events)
    {
        events.Hook([RoutingEventNames.PresenceBare, RoutingEventNames.PresenceFull], RoutePriority.Delivery, "presence: subscriptions, probes, to sessions", InboundAsync);
        events.Hook(RoutingEventNames.PresenceOutbound, RoutePriority.Delivery, "presence: broadcast, directed, subscription requests", OutboundAsync);
    }

    private async ValueTask<bool> InboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Recipient is null)
        {
            return false;
        }

        await presence.InboundAsync(routed.Stanza, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> OutboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        await presence.FromClientAsync(routed.Stanza, routed.Session!, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
