using Converge.Core.Addressing;
using Converge.Interworking.Function;
using Converge.Xmpp.Im;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Server;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Interworking.Xmpp;

/// <summary>
/// Joins the router and the interworking function: XMPP messages chosen for SMS become
/// conversation messages for the IWF, and what the IWF brings back (SMS replies, adapted session
/// answers, receipts, errors) becomes XMPP stanzas routed like any other.
/// </summary>
public sealed class LegacyGateway(XmppServer xmpp) : ILegacyGateway
{
    public SmsInterworking? Sms { get; set; }

    public EmailInterworking? Email { get; set; }

    public bool Supports(LegacyChannel channel) => channel == LegacyChannel.Sms ? Sms is not null : Email is not null;

    public async ValueTask<bool> AcceptAsync(LegacyMessage message, CancellationToken cancellationToken)
    {
        if (!Supports(message.Channel))
        {
            return false;
        }

        var stanza = message.Stanza;
        var kind = SessionNegotiation.Read(stanza) switch
        {
            SessionAction.Request => ConversationKind.SessionInvite,
            SessionAction.Accept => ConversationKind.SessionAccept,
            SessionAction.Decline => ConversationKind.SessionDecline,
            SessionAction.Terminate => ConversationKind.SessionEnd,
            _ => ConversationKind.Message,
        };
        var sender = message.Sender.Bare;
        var request = new OutboundConversationMessage(
            sender.ToString(),
            xmpp.FindAccount(sender)?.Msisdn,
            message.Address,
            message.Recipient.Bare.ToString(),
            kind,
            stanza.ChildText("body", Namespaces.Client) ?? "",
            stanza.ChildText("thread", Namespaces.Client),
            stanza.GetAttribute("id"),
            stanza.Element("request", Namespaces.Receipts) is not null,
            message.Sender.ToString());
        return message.Channel == LegacyChannel.Sms
            ? await Sms!.AcceptAsync(request, cancellationToken).ConfigureAwait(false)
            : await Email!.AcceptAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where one channel's adapter hands what comes in: the door knows which technology is speaking.</summary>
    public IConversationSink SinkFor(LegacyChannel channel) => new ChannelSink(this, channel);

    private async ValueTask DeliverAsync(LegacyChannel channel, InboundConversationMessage message, CancellationToken cancellationToken)
    {
        // An error goes to the resource that sent the message; when that client is gone, an error
        // stanza would be dropped (RFC 6121 §8.5.3.2), so the user gets a notice they will see later.
        if (message.Kind == ConversationKind.Error && Jid.Parse(message.To) is { Resource: not null } to && !xmpp.IsConnected(to))
        {
            message = message with { To = to.Bare.ToString(), Kind = ConversationKind.Message };
        }

        // The door checks that the sender is a legacy address of this channel (and lets an SMS from
        // a subscriber's own number speak as the subscriber); a refusal is logged there.
        await xmpp.Interworking.InjectAsync(channel, ToStanza(message), cancellationToken).ConfigureAwait(false);
    }

    private sealed class ChannelSink(LegacyGateway gateway, LegacyChannel channel) : IConversationSink
    {
        public ValueTask DeliverAsync(InboundConversationMessage message, CancellationToken cancellationToken) =>
            gateway.DeliverAsync(channel, message, cancellationToken);
    }

    internal static XmlElement ToStanza(InboundConversationMessage m)
    {
        var stanza = new XmlElement("message", Namespaces.Client)
            .SetAttribute("from", m.From)
            .SetAttribute("to", m.To)
            .SetAttribute("id", Guid.NewGuid().ToString("N"));
        switch (m.Kind)
        {
            case ConversationKind.Error:
                stanza.SetAttribute("type", "error").SetAttribute("id", m.RefersTo ?? stanza.GetAttribute("id"));
                stanza.AddElement("thread").AddText(m.Thread);
                stanza.Add(StanzaError.Build("recipient-unavailable", m.Text, null, Namespaces.Client).SetAttribute("type", "cancel"));
                return stanza;
            case ConversationKind.Receipt:
                stanza.AddElement("received", Namespaces.Receipts).SetAttribute("id", m.RefersTo ?? "");
                return stanza;
            case ConversationKind.Message:
                stanza.SetAttribute("type", "chat");
                if (m.Subject is not null)
                {
                    stanza.AddElement("subject").AddText(m.Subject);
                }

                stanza.AddElement("body").AddText(m.Text);
                stanza.AddElement("thread").AddText(m.Thread);
                return stanza;
            default:
                // An adapted session action (XEP-0155), with the legacy user's words as a body for clients that ignore forms.
                stanza.SetAttribute("type", "normal");
                stanza.AddElement("thread").AddText(m.Thread);
                if (m.Text.Length > 0)
                {
                    stanza.AddElement("body").AddText(m.Text);
                }

                stanza.Add(SessionNegotiation.Build(m.Kind switch
                {
                    ConversationKind.SessionInvite => SessionAction.Request,
                    ConversationKind.SessionAccept => SessionAction.Accept,
                    ConversationKind.SessionDecline => SessionAction.Decline,
                    _ => SessionAction.Terminate,
                }));
                return stanza;
        }
    }
}
