using System.Text;

namespace Converge.Xmpp.Xml;

/// <summary>
/// Names, namespaces and attribute values that occur on nearly every XMPP stream, shared by all
/// parsers so that reading them allocates nothing. Read-only after the type initializer.
/// </summary>
internal static class KnownXmppStrings
{
    public static readonly Utf8StringTable Table = Build();

    public static string? Find(ReadOnlySpan<byte> utf8, int hash) => Table.Find(utf8, hash);

    private static Utf8StringTable Build()
    {
        string[] strings =
        [
            // Namespaces.
            "jabber:client", "jabber:server", "jabber:server:dialback", XmlNamespaceNames.Streams, XmlNamespaceNames.Xml,
            "urn:ietf:params:xml:ns:xmpp-streams", "urn:ietf:params:xml:ns:xmpp-stanzas",
            "urn:ietf:params:xml:ns:xmpp-tls", "urn:ietf:params:xml:ns:xmpp-sasl",
            "urn:ietf:params:xml:ns:xmpp-bind", "urn:ietf:params:xml:ns:xmpp-session",
            "jabber:iq:roster", "jabber:iq:version", "jabber:iq:private", "jabber:iq:register", "jabber:iq:last",
            "jabber:x:data", "jabber:x:oob", "vcard-temp", "vcard-temp:x:update",
            "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
            "http://jabber.org/protocol/caps", "http://jabber.org/protocol/chatstates",
            "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user",
            "http://jabber.org/protocol/pubsub", "http://jabber.org/protocol/pubsub#event",
            "http://jabber.org/protocol/address", "http://jabber.org/features/iq-register",
            "urn:xmpp:ping", "urn:xmpp:delay", "urn:xmpp:time", "urn:xmpp:receipts", "urn:xmpp:chat-markers:0",
            "urn:xmpp:sm:3", "urn:xmpp:carbons:2", "urn:xmpp:forward:0", "urn:xmpp:mam:2", "urn:xmpp:sid:0",
            "urn:xmpp:csi:0", "urn:xmpp:hints", "urn:xmpp:blocking", "urn:xmpp:blocking:errors",
            "urn:xmpp:features:rosterver", "urn:xmpp:features:pre-approval", "urn:xmpp:sasl-cb:0",
            "urn:xmpp:message-correct:0", "urn:xmpp:http:upload:0", "urn:xmpp:idle:1", "urn:xmpp:avatar:metadata",
            "urn:xmpp:bookmarks:1", "urn:xmpp:sasl:2", "urn:xmpp:bind:0", "urn:xmpp:jingle:1",
            "urn:xmpp:eme:0", "eu.siacs.conversations.axolotl", "urn:xmpp:omemo:2",

            // Prefixes and element names.
            "stream", "db", "xml", "features", "error", "text", "message", "presence", "iq", "body", "subject", "thread",
            "show", "status", "priority", "query", "item", "group", "x", "c", "delay", "starttls", "required",
            "proceed", "failure", "auth", "success", "challenge", "response", "abort", "mechanisms", "mechanism",
            "bind", "session", "optional", "resource", "jid", "ping", "enable", "enabled", "resume", "resumed",
            "failed", "r", "a", "sm", "active", "inactive", "composing", "paused", "gone", "request", "received",
            "markable", "displayed", "acknowledged", "forwarded", "sent", "private", "identity", "feature",
            "result", "verify", "origin-id", "stanza-id", "archived", "fin", "set", "first", "last", "count",
            "before", "after", "max", "field", "value", "data", "blocklist", "block", "unblock", "vCard",
            "store", "no-store", "no-copy", "no-permanent-store", "replace", "own", "register", "ver", "sub",
            "time", "tzo", "utc", "name", "os", "version", "pubsub", "items", "event", "publish", "retract",

            // Attribute names.
            "to", "from", "id", "type", "xmlns", "xml:lang", "lang", "subscription", "ask", "approved", "code",
            "by", "stamp", "h", "previd", "location", "hash", "node", "category", "var", "label", "reason",
            "xmlns:stream", "xmlns:db",

            // Attribute values.
            "get", "chat", "groupchat", "headline", "normal", "unavailable", "subscribe", "subscribed",
            "unsubscribe", "unsubscribed", "probe", "away", "xa", "dnd", "cancel", "continue", "modify", "wait",
            "both", "none", "remove", "true", "false", "en", "1.0", "sha-1", "PLAIN", "EXTERNAL",
            "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "tls-exporter",
            "tls-server-end-point", "client", "pc", "phone", "web", "bot", "server", "im", "text-single",
            "hidden", "list-single", "FORM_TYPE", "submit", "form",

            // Error conditions.
            "bad-request", "conflict", "feature-not-implemented", "forbidden", "gone", "internal-server-error",
            "item-not-found", "jid-malformed", "not-acceptable", "not-allowed", "not-authorized",
            "policy-violation", "recipient-unavailable", "redirect", "registration-required",
            "remote-server-not-found", "remote-server-timeout", "resource-constraint", "service-unavailable",
            "subscription-required", "undefined-condition", "unexpected-request", "host-unknown",
            "not-well-formed", "invalid-namespace", "connection-timeout", "system-shutdown",
            "aborted", "account-disabled", "credentials-expired", "encryption-required", "incorrect-encoding",
            "invalid-authzid", "invalid-mechanism", "malformed-request", "mechanism-too-weak",
            "temporary-auth-failure",
        ];

        var table = new Utf8StringTable(strings.Length, strings.Length);
        foreach (var s in strings.Distinct(StringComparer.Ordinal))
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            var hash = Utf8StringTable.Hash(utf8);
            table.Add(utf8, hash, s);
        }

        return table;
    }
}
