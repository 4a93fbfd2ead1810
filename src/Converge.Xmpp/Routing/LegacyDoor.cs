using Converge.Core.Addressing;
using Converge.Xmpp.Server;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing;

/// <summary>
/// Where SMS and mail enter XMPP. A legacy sender speaks only as a legacy address of our domain:
/// <c>+E164@domain</c> or an alphanumeric SMS sender <c>name\40sms@domain</c> for SMS, an escaped mail
/// address <c>local\40domain@domain</c> for mail — never as an account or a remote user. The one
/// exception: the mobile network vouches for a number, so an SMS from a subscriber's own MSISDN
/// speaks as that subscriber. Mail vouches for nothing: a From: with a subscriber's address stays a mail address.
/// </summary>
internal sealed partial class LegacyDoor(AccountDirectory accounts, StanzaRouter router, string domain, ILogger logger)
{
    private long _refused;

    /// <summary>Stanzas refused at this door since start (a gateway that tried to speak as someone else).</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <returns>false when the stanza was refused: malformed, or its 'from' is no legacy address of the channel.</returns>
    public async ValueTask<bool> InjectAsync(LegacyChannel channel, XmlElement message, CancellationToken cancellationToken)
    {
        if (message.Namespace != Namespaces.Client || !Stanza.TryGetKind(message, out var kind)
            || !Jid.TryParse(message.GetAttribute("from"), out var from) || !Jid.TryParse(message.GetAttribute("to"), out var to)
            || !IsLegacySender(channel, from))
        {
            Interlocked.Increment(ref _refused);
            LogRefused(logger, channel.ToString(), message.GetAttribute("from") ?? "(none)");
            return false;
        }

        var routed = new RoutedStanza(new Stanza(message, kind, from, to), StanzaOrigin.Legacy) { Channel = channel };
        if (channel == LegacyChannel.Sms && E164.IsE164Localpart(from.Local) && accounts.FindByMsisdn(from.Local!) is { } subscriber)
        {
            routed.Sender = subscriber;
            routed.Readdress(subscriber.Jid, null);
        }

        await router.RouteAsync(routed, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public bool IsLegacySender(LegacyChannel channel, Jid from)
    {
        if (from.Domain != domain || from.Resource is not null || from.Local is not { } local)
        {
            return false;
        }

        return channel == LegacyChannel.Sms
            ? E164.IsE164Localpart(local) || SmsSenderName.IsLocalpart(local)
            : EscapedEmail.FromLocalpart(local) is not null;
    }

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Refused a stanza from the {Channel} gateway: 'from' {From} is not a legacy address of this domain")]
    private static partial void LogRefused(ILogger logger, string channel, string from);
}
