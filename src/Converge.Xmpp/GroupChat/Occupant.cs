using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// One user in a room for the time of a visit: a nick, the sessions behind it and its role. Several
/// sessions (resources) of the same bare JID that join with the same nick share the occupant
/// (XEP-0045 multi-session nick): the room shows one occupant and sends what is for it to every session.
/// </summary>
internal sealed class Occupant(string nick, Jid realJid, MucRole role, XmlElement presence)
{
    private readonly List<Jid> _sessions = [realJid];

    public string Nick { get; set; } = nick;

    /// <summary>The session that joined first: the real JID the room shows to those who may see it.</summary>
    public Jid RealJid => _sessions[0];

    /// <summary>Every joined session (full JIDs) of the occupant, the first one first.</summary>
    public IReadOnlyList<Jid> Sessions => _sessions;

    public MucRole Role { get; set; } = role;

    /// <summary>The occupant's last presence, as it sent it (show, status, caps), shown to the others.</summary>
    public XmlElement Presence { get; set; } = presence;

    /// <summary>Whether <paramref name="session"/> belongs to the same user and may share this occupant.</summary>
    public bool IsSameUser(Jid session) => session.Bare == RealJid.Bare;

    public void AddSession(Jid session) => _sessions.Add(session);

    /// <summary>Removes one of several sessions; the last one leaves with the occupant instead.</summary>
    public void RemoveSession(Jid session)
    {
        if (_sessions.Count > 1)
        {
            _sessions.Remove(session);
        }
    }
}
