using Converge.Core.Addressing;
using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// What number resolution leaves behind (the resolution itself happens when the stanza is
/// classified): a subscriber remembers who reached them by number, and from then on speaks to
/// that contact as the number, the address the contact knows (seed 000 §7.1.3).
/// </summary>
internal sealed class NumberResolutionPolicy(NumberAliases aliases, string domain)
{
    public void Hook(RoutingEvents events) =>
        events.Hook([.. RoutingEventNames.ToAccounts, RoutingEventNames.RouteRemote], RoutePriority.NumberResolution, "numbers: aliases", ApplyAsync);

    private async ValueTask<bool> ApplyAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var from = routed.From;
        if (routed.AddressedAs is not null && routed.Recipient is { } recipient && from is not null && from.Bare != recipient.Jid)
        {
            await aliases.RememberAsync(recipient.Jid, from.Bare, cancellationToken).ConfigureAwait(false);
        }

        var to = routed.To;
        if (routed.Sender is { Msisdn: { } msisdn } sender && from is not null && to is not null && from.Domain == domain
            && !E164.IsE164Localpart(from.Local) && await aliases.KnowsByNumberAsync(sender.Jid, to.Bare, cancellationToken).ConfigureAwait(false))
        {
            routed.Readdress(Jid.Create(msisdn, domain, from.Resource), null);
        }

        return false;
    }
}
