namespace Converge.Xmpp.Push;

/// <summary>The XML namespaces of push notifications (XEP-0357) and the pubsub parts they use.</summary>
internal static class PushNamespaces
{
    public const string Push = "urn:xmpp:push:0";

    /// <summary>FORM_TYPE of the notification's summary form (XEP-0357 §8).</summary>
    public const string Summary = "urn:xmpp:push:summary";

    public const string PubSub = "http://jabber.org/protocol/pubsub";

    /// <summary>FORM_TYPE of the publish-options form a client gives on enable (XEP-0357 §5, XEP-0060 §7.1.5).</summary>
    public const string PublishOptions = "http://jabber.org/protocol/pubsub#publish-options";
}
