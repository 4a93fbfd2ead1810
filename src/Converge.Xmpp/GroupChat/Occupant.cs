using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>One user in a room for the time of a visit: a nick, the session behind it and its role.</summary>
internal sealed class Occupant(string nick, Jid realJid, MucRole role, XmlElement presence)
{
    public string Nick { get; set; } = nick;

    /// <summary>The occupant's session (full JID), to which the room sends everything.</summary>
    public Jid RealJid { get; } = realJid;

    public MucRole Role { get; set; } = role;

    /// <summary>The occupant's last presence, as it sent it (show, status, caps), shown to the others.</summary>
    public XmlElement Presence { get; set; } = presence;
}
