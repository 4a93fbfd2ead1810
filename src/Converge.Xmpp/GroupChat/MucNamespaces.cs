namespace Converge.Xmpp.GroupChat;

/// <summary>The XML namespaces of XEP-0045 and the extensions group chat speaks.</summary>
internal static class MucNamespaces
{
    public const string Muc = "http://jabber.org/protocol/muc";
    public const string User = "http://jabber.org/protocol/muc#user";
    public const string Admin = "http://jabber.org/protocol/muc#admin";
    public const string Owner = "http://jabber.org/protocol/muc#owner";
    public const string RoomConfig = "http://jabber.org/protocol/muc#roomconfig";
    public const string RoomInfo = "http://jabber.org/protocol/muc#roominfo";
    public const string Request = "http://jabber.org/protocol/muc#request";
    public const string StableId = "http://jabber.org/protocol/muc#stable_id";
    public const string SelfPing = "http://jabber.org/protocol/muc#self-ping-optimization";
    public const string OccupantId = "urn:xmpp:occupant-id:0";
    public const string DirectInvitation = "jabber:x:conference";
}
