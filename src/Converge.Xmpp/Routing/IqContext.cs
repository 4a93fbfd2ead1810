using Converge.Xmpp.Client;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing;

/// <summary>An IQ request handed to the handler of its payload namespace, with the means to answer it.</summary>
/// <param name="writtenTo">The address the requester wrote when it resolved to another (a subscriber's number): replies come from it.</param>
internal sealed class IqContext(StanzaRouter router, Stanza stanza, ClientSession? origin, Core.Addressing.Jid? writtenTo = null)
{
    public Stanza Stanza { get; } = stanza;

    /// <summary>The local session that sent it; null when it came from elsewhere.</summary>
    public ClientSession? Origin { get; } = origin;

    public XmlElement Payload { get; } = stanza.Element.FirstElement()!;

    public bool IsSet => Stanza.Type == "set";

    /// <summary>The bare JID of the account the request is about: 'to' if given, else the sender's own.</summary>
    public Core.Addressing.Jid Target => (Stanza.To ?? Stanza.From!).Bare;

    /// <summary>True when a user asks about their own account (no 'to', or 'to' their own bare JID).</summary>
    public bool IsOwnAccount => Stanza.To is null || (Stanza.From is not null && Stanza.To == Stanza.From.Bare);

    public ValueTask ResultAsync(XmlElement? payload = null)
    {
        var reply = new XmlElement("iq", Stanza.Element.Namespace).SetAttribute("type", "result");
        Address(reply);
        if (payload is not null)
        {
            reply.Add(payload);
        }

        return router.ReplyAsync(reply, this);
    }

    public ValueTask ErrorAsync(string condition, string? text = null, XmlElement? appCondition = null)
    {
        var reply = StanzaError.ReplyTo(Stanza.Element, condition, text, appCondition);
        if (writtenTo is not null)
        {
            reply.SetAttribute("from", writtenTo.ToString());
        }

        return router.ReplyAsync(reply, this);
    }

    private void Address(XmlElement reply)
    {
        var id = Stanza.Id;
        if (id is not null)
        {
            reply.SetAttribute("id", id);
        }

        // Mirror the request: a reply to an IQ without 'to' carries no 'from' (RFC 6120 §8.1.2.1).
        var to = writtenTo?.ToString() ?? Stanza.Element.GetAttribute("to");
        if (to is not null)
        {
            reply.SetAttribute("from", to);
        }

        var from = Stanza.Element.GetAttribute("from");
        if (from is not null)
        {
            reply.SetAttribute("to", from);
        }
    }
}
