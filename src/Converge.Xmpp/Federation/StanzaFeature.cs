using Converge.Core.Federation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.Federation;

/// <summary>Which feature of an interconnection agreement a stanza belongs to.</summary>
internal static class StanzaFeature
{
    public const string FeatureNegotiation = "http://jabber.org/protocol/feature-neg";
    public const string Search = "jabber:iq:search";
    public const string PubSub = "http://jabber.org/protocol/pubsub";
    public const string PubSubOwner = "http://jabber.org/protocol/pubsub#owner";
    public const string PubSubEvent = "http://jabber.org/protocol/pubsub#event";
    public const string OutOfBand = "jabber:x:oob";

    public static InterconnectionFeature Of(Stanza stanza)
    {
        // Answers (errors, IQ results) follow the request that was checked; refusing them would
        // leave the requester waiting, or lose the very error that says why.
        if (stanza.Type == "error" || (stanza.Kind == StanzaKind.Iq && stanza.Type == "result"))
        {
            return InterconnectionFeature.None;
        }

        switch (stanza.Kind)
        {
            case StanzaKind.Presence:
                return stanza.Type is "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed"
                    ? InterconnectionFeature.Subscription
                    : InterconnectionFeature.Presence;
            case StanzaKind.Message:
                if (stanza.Element.Element("event", PubSubEvent) is not null)
                {
                    return InterconnectionFeature.Pep;
                }

                // XEP-0155 session negotiation travels in messages carrying a feature-negotiation form.
                if (stanza.Element.Element("feature", FeatureNegotiation) is not null)
                {
                    return InterconnectionFeature.Sessions;
                }

                // A message with a file link needs both: the agreement decides whether files cross.
                return stanza.Element.Element("x", OutOfBand) is not null
                    ? InterconnectionFeature.Messaging | InterconnectionFeature.FileTransfer
                    : InterconnectionFeature.Messaging;
            default:
                var payload = stanza.Element.FirstElement();
                if (IsPushNotification(payload))
                {
                    return InterconnectionFeature.Push;
                }

                if (payload?.Namespace is PubSub or PubSubOwner)
                {
                    return InterconnectionFeature.Pep;
                }

                if (payload?.Namespace == Search || (stanza.To?.Domain.StartsWith("search.", StringComparison.Ordinal) ?? false))
                {
                    return InterconnectionFeature.Search;
                }

                // Other IQs (disco, ping, vCard, version) go with basic conversation.
                return payload?.Namespace == Namespaces.DiscoInfo || payload?.Namespace == Namespaces.Ping || payload is null
                    ? InterconnectionFeature.None
                    : InterconnectionFeature.Messaging;
        }
    }

    /// <summary>A XEP-0357 notification: a pubsub publish whose item is a <c>urn:xmpp:push:0</c> notification.</summary>
    private static bool IsPushNotification(Xml.XmlElement? payload) =>
        payload is { Name: "pubsub", Namespace: PubSub }
        && payload.Element("publish", PubSub)?.Element("item", PubSub)?.Element("notification", Push.PushNamespaces.Push) is not null;
}
