using Converge.Xmpp.Im;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// XEP-0191 on the routing step, both sides, against the accounts the addresses stand for: a block
/// of carol@a.example also stops carol's number +49…@a.example and the other way round, so neither a
/// number alias nor an SMS route gets around a block.
/// </summary>
internal sealed class BlockingPolicy(BlockingModule lists, StanzaRouter router)
{
    public void Hook(RoutingEvents events)
    {
        events.Hook(
            [.. RoutingEventNames.ToAccounts, RoutingEventNames.MessageHost, RoutingEventNames.PresenceOutbound, RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy],
            RoutePriority.SenderBlocking,
            "blocking: the sender's list",
            SenderAsync);
        events.Hook(RoutingEventNames.ToAccounts, RoutePriority.RecipientBlocking, "blocking: the recipient's list", RecipientAsync);
    }

    /// <summary>XEP-0191 §3.5: the user tries to talk to someone they blocked.</summary>
    private async ValueTask<bool> SenderAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (routed.Sender is not { } sender || stanza.To is null || IsExempt(stanza)
            || !await lists.IsBlockedAsync(sender.Jid, routed.AddressedAs ?? stanza.To, cancellationToken, alsoKnownAs: stanza.To).ConfigureAwait(false))
        {
            return false;
        }

        if (stanza.Kind != StanzaKind.Presence && routed.Origin == StanzaOrigin.Client)
        {
            // XEP-0191 §3.5 (example 13): not-acceptable of type cancel, with the blocking namespace's <blocked/>.
            await router.RefuseAsync(routed, "not-acceptable", "You have blocked this contact.", cancellationToken,
                new XmlElement("blocked", Namespaces.BlockingErrors), type: "cancel").ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>XEP-0191 §3.4: nothing from a blocked entity reaches the user; messages and IQs bounce.</summary>
    private async ValueTask<bool> RecipientAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (routed.Recipient is not { } recipient || stanza.From is not { } from
            || !await lists.IsBlockedAsync(recipient.Jid, from, cancellationToken, alsoKnownAs: routed.Sender?.Jid).ConfigureAwait(false))
        {
            return false;
        }

        if (stanza.Kind != StanzaKind.Presence)
        {
            await router.RefuseAsync(routed, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Errors, IQ results and 'unavailable' never harm: they are how a block takes effect.</summary>
    private static bool IsExempt(Stanza stanza) =>
        stanza.Type is "error" || (stanza.Kind == StanzaKind.Iq && stanza.Type == "result") || (stanza.Kind == StanzaKind.Presence && stanza.Type == "unavailable");
}
