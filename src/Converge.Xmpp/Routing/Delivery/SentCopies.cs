using Converge.Xmpp.Im;
using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Routing.Delivery;

/// <summary>
/// What a local client sends is in its owner's archive (XEP-0313) and on its other resources
/// (XEP-0280), whichever route carries it on, as the sender wrote it. The archive write is queued
/// before delivery, shares a grouped commit with the recipient's copy, and holds back only the
/// sender's acknowledgement (XEP-0198), never the delivery.
/// </summary>
internal sealed class SentCopies(ArchiveModule archive, CarbonsModule carbons)
{
    public void Hook(RoutingEvents events) =>
        events.Hook(
            [.. RoutingEventNames.Messages, RoutingEventNames.MessageHost, RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy],
            RoutePriority.SentCopies,
            "archive + carbons: the sender's copies",
            CopyAsync);

    private async ValueTask<bool> CopyAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Client || routed.SentCopiesMade || routed.Stanza.Kind != StanzaKind.Message)
        {
            return false;
        }

        routed.SentCopiesMade = true;
        var sent = routed.Original;
        routed.WaitFor(await archive.QueueOutgoingAsync(routed.Session!.BareJid, sent.To!, sent.Element, routed, cancellationToken).ConfigureAwait(false));
        carbons.CopySent(routed.Session, sent.Element);
        return false;
    }
}
