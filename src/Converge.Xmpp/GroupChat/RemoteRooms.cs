using System.Collections.Concurrent;
using Converge.Core.Addressing;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// Rooms at other providers that our users have joined (a MUC join presence went out to them), so that
/// what follows - presence from the room, private messages, IQs to it - is recognised as group chat
/// and crosses only under an agreement that grants it. Bounded: the least recently used room goes first.
/// </summary>
internal sealed class RemoteRooms(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<Jid, long> _lastUsed = new();

    public int Count => _lastUsed.Count;

    public void Joined(Jid room)
    {
        var bare = room.Bare;
        _lastUsed[bare] = Environment.TickCount64;
        if (_lastUsed.Count > capacity)
        {
            // Rare (only past the bound): one scan to drop the stalest.
            var stalest = _lastUsed.MinBy(p => p.Value).Key;
            _lastUsed.TryRemove(stalest, out _);
        }
    }

    public bool Contains(Jid address) => _lastUsed.ContainsKey(address.Bare);
}
