using System.Collections.Concurrent;
using Converge.Core.Addressing;

namespace Converge.Xmpp.Server;

/// <summary>
/// When each user's last CPM session ended, for technology selection's "offline longer than
/// Sms.FallbackAfter". In memory: after a restart, users count as offline since the start.
/// </summary>
internal sealed class LastSeen
{
    private readonly long _started = Environment.TickCount64;
    private readonly ConcurrentDictionary<Jid, long> _lastSeen = new();

    public void SessionEnded(Jid user) => _lastSeen[user.Bare] = Environment.TickCount64;

    public TimeSpan? OfflineFor(Jid user) =>
        TimeSpan.FromMilliseconds(Environment.TickCount64 - (_lastSeen.TryGetValue(user.Bare, out var t) ? t : _started));
}
