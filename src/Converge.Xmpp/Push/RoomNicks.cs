using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Xmpp.GroupChat;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Push;

/// <summary>
/// Which nick each local session holds in each room, learnt from the rooms' own presence: the
/// self-presence (status 110) a room sends the session on entry, on a nick change (303 carries the
/// new nick) and on leaving. Taken from what the room says rather than what the client asked for,
/// because that is the nick others address; it works for our rooms and for rooms at peers alike.
/// Bounded: when full, entries of sessions that no longer exist make room, else nothing new is learnt.
/// </summary>
internal sealed class RoomNicks(SessionRegistry sessions, int capacity)
{
    private readonly ConcurrentDictionary<(Jid Session, Jid Room), string> _nicks = new();

    public int Count => _nicks.Count;

    /// <summary>The nick <paramref name="session"/> holds in <paramref name="room"/>, if the room told it one.</summary>
    public string? NickOf(Jid session, Jid room) => _nicks.GetValueOrDefault((session, room.Bare));

    /// <summary>Learns from a presence on its way to a local full JID; anything but a room's self-presence is ignored.</summary>
    public void Observe(Stanza presence)
    {
        if (presence.To is not { Resource: not null } session || presence.From is not { Resource: { } nick } occupant
            || presence.Element.Element("x", MucNamespaces.User) is not { } x
            || !x.Elements("status", MucNamespaces.User).Any(s => s.GetAttribute("code") == "110"))
        {
            return;
        }

        var key = (session, occupant.Bare);
        if (presence.Type is null)
        {
            Remember(key, nick);
        }
        else if (presence.Type == "unavailable"
            && x.Elements("status", MucNamespaces.User).Any(s => s.GetAttribute("code") == "303")
            && x.Element("item", MucNamespaces.User)?.GetAttribute("nick") is { Length: > 0 } newNick)
        {
            Remember(key, newNick);
        }
        else if (presence.Type is "unavailable" or "error")
        {
            _nicks.TryRemove(key, out _);
        }
    }

    private void Remember((Jid Session, Jid Room) key, string nick)
    {
        if (_nicks.Count >= capacity && !_nicks.ContainsKey(key))
        {
            foreach (var (stale, _) in _nicks)
            {
                if (sessions.Find(stale.Session) is null)
                {
                    _nicks.TryRemove(stale, out _);
                }
            }

            if (_nicks.Count >= capacity)
            {
                return;
            }
        }

        _nicks[key] = nick;
    }
}
