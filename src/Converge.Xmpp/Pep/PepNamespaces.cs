namespace Converge.Xmpp.Pep;

/// <summary>Namespaces and well-known nodes of publish-subscribe (XEP-0060), PEP and what rides on it.</summary>
internal static class PepNamespaces
{
    public const string PubSub = "http://jabber.org/protocol/pubsub";
    public const string Owner = "http://jabber.org/protocol/pubsub#owner";
    public const string Event = "http://jabber.org/protocol/pubsub#event";
    public const string Errors = "http://jabber.org/protocol/pubsub#errors";
    public const string PublishOptions = "http://jabber.org/protocol/pubsub#publish-options";
    public const string NodeConfig = "http://jabber.org/protocol/pubsub#node_config";
    public const string Private = "jabber:iq:private";
    public const string LegacyBookmarks = "storage:bookmarks";
    public const string Bookmarks = "urn:xmpp:bookmarks:1";
    public const string BookmarksCompat = "urn:xmpp:bookmarks:1#compat";
    public const string AvatarData = "urn:xmpp:avatar:data";
    public const string AvatarMetadata = "urn:xmpp:avatar:metadata";
    public const string VCardConversion = "urn:xmpp:pep-vcard-conversion:0";

    /// <summary>The pubsub features a PEP service advertises on the account (XEP-0163 §6, XEP-0060 §10).</summary>
    public static readonly string[] Features =
    [
        PubSub + "#access-open",
        PubSub + "#access-presence",
        PubSub + "#access-whitelist",
        PubSub + "#auto-create",
        PubSub + "#auto-subscribe",
        PubSub + "#member-affiliation",
        PubSub + "#modify-affiliations",
        PubSub + "#outcast-affiliation",
        PubSub + "#retrieve-affiliations",
        PubSub + "#retrieve-subscriptions",
        PubSub + "#config-node",
        PubSub + "#create-and-configure",
        PubSub + "#create-nodes",
        PubSub + "#delete-items",
        PubSub + "#delete-nodes",
        PubSub + "#filtered-notifications",
        PubSub + "#item-ids",
        PubSub + "#last-published",
        PubSub + "#persistent-items",
        PubSub + "#publish",
        PubSub + "#publish-options",
        PubSub + "#purge-nodes",
        PubSub + "#retract-items",
        PubSub + "#retrieve-items",
        PubSub + "#multi-items",
    ];
}
