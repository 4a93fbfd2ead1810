using Converge.Core.Interworking;
using Converge.Xmpp.Routing.Routes;
using Converge.Xmpp.Server;

namespace Converge.Xmpp.Routing.Delivery;

/// <summary>
/// Technology selection on the routing step (CPM-IOP-003/005): a message for a subscriber whom XMPP
/// cannot reach now (not a CPM user, roaming where CPM is unsupported, offline too long) takes the
/// legacy route instead, through the same gate as any message for SMS or email.
/// </summary>
internal sealed class TechnologySelection(LegacyRoute legacy, SessionRegistry sessions, LastSeen lastSeen, TimeSpan? smsFallbackAfter, StanzaRouter router)
{
    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.Messages, RoutePriority.TechnologySelection, "interworking: technology selection", SelectAsync);

    private async ValueTask<bool> SelectAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        // From SMS or mail to a subscriber: into XMPP, never back out again.
        if (legacy.Gateway is null || routed.Recipient is not { } account || routed.Origin == StanzaOrigin.Legacy || !LegacyRoute.Takes(routed.Stanza))
        {
            return false;
        }

        var choice = TechnologySelector.ForSubscriber(
            account,
            sessions.SessionsOf(account.Jid).Any(s => s.IsAvailable),
            lastSeen.OfflineFor(account.Jid),
            smsFallbackAfter,
            legacy.Supports(LegacyChannel.Sms),
            legacy.Supports(LegacyChannel.Email));
        if (choice.Technology is not (DeliveryTechnology.Sms or DeliveryTechnology.Email))
        {
            return false;
        }

        routed.Target = RouteTarget.Legacy;
        routed.Channel = choice.Technology == DeliveryTechnology.Sms ? LegacyChannel.Sms : LegacyChannel.Email;
        routed.LegacyAddress = choice.Address;
        routed.LegacyReason = choice.Reason;
        await router.RerouteAsync(routed, RoutingEventNames.RouteLegacy, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
