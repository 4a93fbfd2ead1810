using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Xmpp.Routing.Services;
using Converge.Xmpp.Server;

namespace Converge.Xmpp.Routing;

/// <summary>
/// Classification, done once per stanza: which local account (if any) sent it, and where it goes.
/// A number in our domain is resolved here, before any policy runs, so that block lists and the
/// agreements are checked against the account or peer it really reaches, never against an alias.
/// </summary>
internal sealed class DestinationResolver(AccountDirectory accounts, Func<AgreementBook> agreements, string domain, LocalServices services)
{
    /// <summary>The local account that speaks, for stanzas from a client or made on a user's behalf.</summary>
    public void ClassifySender(RoutedStanza routed)
    {
        if (routed.Sender is not null)
        {
            return;
        }

        if (routed.Session is { } session)
        {
            routed.Sender = accounts.Find(session.BareJid);
        }
        else if (routed.Origin == StanzaOrigin.Internal && routed.From is { Local: not null } from && from.Domain == domain)
        {
            routed.Sender = accounts.Find(from.Bare);
        }
    }

    public void Classify(RoutedStanza routed)
    {
        ClassifySender(routed);
        var to = routed.To;
        if (to is null)
        {
            // A client's IQ without 'to' is for its own account (RFC 6120 §10.3.3).
            routed.Target = RouteTarget.Bare;
            routed.Recipient = routed.Sender;
            return;
        }

        if (to.Domain != domain)
        {
            routed.Service = services.Find(to.Domain);
            routed.Target = routed.Service is null ? RouteTarget.Remote : RouteTarget.Service;
            return;
        }

        if (to.Local is null)
        {
            routed.Target = RouteTarget.Host;
            return;
        }

        if (E164.IsE164Localpart(to.Local))
        {
            if (accounts.FindByMsisdn(to.Local) is { } subscriber)
            {
                routed.AddressedAs = to;
                routed.Readdress(null, subscriber.Jid.WithResource(to.Resource));
                routed.Recipient = subscriber;
                routed.Target = to.Resource is null ? RouteTarget.Bare : RouteTarget.Full;
                return;
            }

            if (agreements().PeerAddressFor(to) is { } peer)
            {
                routed.AddressedAs = to;
                routed.Readdress(null, peer);
                routed.Target = RouteTarget.Remote;
                return;
            }

            routed.Target = RouteTarget.Legacy;
            routed.Channel = LegacyChannel.Sms;
            routed.LegacyAddress = to.Local;
            routed.LegacyReason = "a number that is no subscriber here nor in any agreement's range";
            return;
        }

        var account = accounts.Find(to.Bare);
        if (account is null && EscapedEmail.FromLocalpart(to.Local) is { } address)
        {
            routed.Target = RouteTarget.Legacy;
            routed.Channel = LegacyChannel.Email;
            routed.LegacyAddress = address;
            routed.LegacyReason = "an email address";
            return;
        }

        routed.Recipient = account;
        routed.Target = to.Resource is null ? RouteTarget.Bare : RouteTarget.Full;
    }
}
