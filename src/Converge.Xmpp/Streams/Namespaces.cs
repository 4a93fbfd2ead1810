namespace Converge.Xmpp.Streams;

/// <summary>XML namespaces the server speaks.</summary>
public static class Namespaces
{
    public const string Client = "jabber:client";
    public const string Server = "jabber:server";
    public const string Streams = "http://etherx.jabber.org/streams";
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string Roster = "jabber:iq:roster";
    public const string RosterVersioning = "urn:xmpp:features:rosterver";
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    public const string DiscoItems = "http://jabber.org/protocol/disco#items";
    public const string Ping = "urn:xmpp:ping";
    public const string Blocking = "urn:xmpp:blocking";
    public const string BlockingErrors = "urn:xmpp:blocking:errors";

    /// <summary>XEP-0377 spam reports inside a block request (version 0.4; reason as an attribute).</summary>
    public const string Reporting = "urn:xmpp:reporting:1";

    /// <summary>XEP-0377 as its first versions wrote it (&lt;spam/&gt; or &lt;abuse/&gt; child), still sent by slixmpp.</summary>
    public const string ReportingLegacy = "urn:xmpp:reporting:0";
    public const string VCard = "vcard-temp";
    public const string Delay = "urn:xmpp:delay";
    public const string Version = "jabber:iq:version";
    public const string Caps = "http://jabber.org/protocol/caps";
    public const string ChannelBindingTypes = "urn:xmpp:sasl-cb:0";
    public const string OfflineFeature = "msgoffline";
    public const string Csi = "urn:xmpp:csi:0";
    public const string Carbons = "urn:xmpp:carbons:2";
    public const string Forward = "urn:xmpp:forward:0";
    public const string Mam = "urn:xmpp:mam:2";
    public const string Rsm = "http://jabber.org/protocol/rsm";
    public const string DataForms = "jabber:x:data";
    public const string StanzaId = "urn:xmpp:sid:0";
    public const string Receipts = "urn:xmpp:receipts";
    public const string Hints = "urn:xmpp:hints";
}
