using Converge.Xmpp.Im;

namespace Converge.Xmpp.Routing.Delivery;

/// <summary>
/// A message for a local account: stamped with the stanza-id of its archive row and the row queued for
/// the next grouped commit, then delivered at once by RFC 6121 §8.5 (sessions, or offline storage) and
/// copied to the recipient's other carbons-enabled resources. The commit holds back only the sender's
/// acknowledgement (<see cref="RoutedStanza.PendingWrite"/>), never the delivery (docs/durability.md).
/// No account: not handled here.
/// </summary>
internal sealed class MessageDelivery(ArchiveModule archive, MessageModule messages, CarbonsModule carbons)
{
    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.Messages, RoutePriority.Delivery, "messages: archive, deliver or store offline", DeliverAsync);

    private async ValueTask<bool> DeliverAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Recipient is not { } recipient)
        {
            return false;
        }

        var stanza = routed.Stanza;
        if (stanza.From is not null)
        {
            routed.WaitFor(await archive.StageIncomingAsync(recipient.Jid, stanza.From, stanza.Element, routed, cancellationToken).ConfigureAwait(false));
        }

        if (await messages.DeliverAsync(stanza, cancellationToken).ConfigureAwait(false) is { } delivered)
        {
            carbons.CopyReceived(recipient.Jid, stanza.Element, delivered); // XEP-0280: the other resources see it too
        }

        return true;
    }
}
