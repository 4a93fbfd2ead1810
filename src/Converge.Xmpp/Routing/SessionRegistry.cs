using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Xmpp.Client;

namespace Converge.Xmpp.Routing;

/// <summary>
/// Bound client sessions by bare JID. Lookups on the routing hot path read an immutable array
/// snapshot without locking; binding and unbinding (rare) copy the array under the user's own lock.
/// </summary>
internal sealed class SessionRegistry(Cluster.IClusterSessions cluster)
{
    private readonly ConcurrentDictionary<Jid, UserSessions> _users = new();
    private int _count;

    public SessionRegistry()
        : this(Cluster.SingleNode.Instance)
    {
    }

    /// <summary>This node's own sessions (remote entries of a cluster are not counted).</summary>
    public int Count => Volatile.Read(ref _count);

    public ClientSession[] SessionsOf(Jid bareJid) =>
        _users.TryGetValue(bareJid, out var user) ? user.Sessions : [];

    public ClientSession? Find(Jid fullJid)
    {
        foreach (var s in SessionsOf(fullJid.Bare))
        {
            if (s.FullJid.Resource == fullJid.Resource)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>
    /// Adds <paramref name="session"/>; a session already bound to the same full JID is returned so
    /// the caller can end it (RFC 6120 §7.7.2.2: we let the new session override the old one).
    /// Returns false when the account has <paramref name="maxResources"/> sessions already.
    /// </summary>
    public bool TryAdd(ClientSession session, int maxResources, out ClientSession? replaced)
    {
        replaced = null;
        var user = _users.GetOrAdd(session.BareJid, static _ => new UserSessions());
        lock (user)
        {
            var current = user.Sessions;
            var index = Array.FindIndex(current, s => s.FullJid.Resource == session.FullJid.Resource);
            if (index >= 0)
            {
                replaced = current[index];
                var copy = (ClientSession[])current.Clone();
                copy[index] = session;
                user.Sessions = copy;
                if (replaced.IsRemote)
                {
                    // The resource moved here from another node (a client reconnecting): it counts now.
                    Interlocked.Increment(ref _count);
                    replaced = null;
                }

                cluster.SessionBound(session);
                return true;
            }

            if (current.Length >= maxResources)
            {
                return false;
            }

            user.Sessions = [.. current, session];
            if (!_users.ContainsKey(session.BareJid))
            {
                // Raced with the removal of the last session: re-attach the entry.
                _users[session.BareJid] = user;
            }
        }

        Interlocked.Increment(ref _count);
        cluster.SessionBound(session);
        return true;
    }

    public void Remove(ClientSession session)
    {
        if (!_users.TryGetValue(session.BareJid, out var user))
        {
            return;
        }

        lock (user)
        {
            var current = user.Sessions;
            var index = Array.IndexOf(current, session);
            if (index < 0)
            {
                return;
            }

            user.Sessions = current.Length == 1 ? [] : [.. current.Where(s => !ReferenceEquals(s, session))];
            if (user.Sessions.Length == 0)
            {
                _users.TryRemove(new KeyValuePair<Jid, UserSessions>(session.BareJid, user));
            }
        }

        if (session.IsRemote)
        {
            return;
        }

        Interlocked.Decrement(ref _count);
        cluster.SessionEnded(session);
    }

    /// <summary>A local resource asked for roster or block-list pushes: the other nodes' copies follow.</summary>
    public void InterestsChanged(ClientSession session)
    {
        if (!session.IsRemote)
        {
            cluster.InterestsChanged(session);
        }
    }

    /// <summary>An account's block list changed on this node: the other nodes drop their cached copy.</summary>
    public void BlockListChanged(Jid owner) => cluster.BlockListChanged(owner);

    /// <summary>A local resource's presence or priority changed: the other nodes' copies follow.</summary>
    public ValueTask PresenceChangedAsync(ClientSession session) =>
        session.IsRemote ? ValueTask.CompletedTask : cluster.PresenceChangedAsync(session);

    /// <summary>
    /// Puts (or replaces) another node's session in the table. A local session of the same full JID
    /// wins: it is the newer binding (RFC 6120 §7.7.2.2), and its node tells the others.
    /// </summary>
    public void PutRemote(ClientSession remote)
    {
        var user = _users.GetOrAdd(remote.BareJid, static _ => new UserSessions());
        lock (user)
        {
            var current = user.Sessions;
            var index = Array.FindIndex(current, s => s.FullJid.Resource == remote.FullJid.Resource);
            if (index >= 0)
            {
                if (!current[index].IsRemote)
                {
                    return;
                }

                var copy = (ClientSession[])current.Clone();
                copy[index] = remote;
                user.Sessions = copy;
            }
            else
            {
                user.Sessions = [.. current, remote];
            }

            if (!_users.ContainsKey(remote.BareJid))
            {
                _users[remote.BareJid] = user;
            }
        }
    }

    /// <summary>Every remote entry, for a node's own bookkeeping (what a dead node held).</summary>
    public List<ClientSession> RemoteSessionsOf(string node)
    {
        var found = new List<ClientSession>();
        foreach (var user in _users.Values)
        {
            foreach (var s in user.Sessions)
            {
                if (s.RemoteNode is { } n && n.Name == node)
                {
                    found.Add(s);
                }
            }
        }

        return found;
    }

    /// <summary>This node's own sessions (what it may sweep, list, end and report).</summary>
    public IEnumerable<ClientSession> All()
    {
        foreach (var user in _users.Values)
        {
            foreach (var s in user.Sessions)
            {
                if (!s.IsRemote)
                {
                    yield return s;
                }
            }
        }
    }

    private sealed class UserSessions
    {
        private volatile ClientSession[] _sessions = [];

        public ClientSession[] Sessions
        {
            get => _sessions;
            set => _sessions = value;
        }
    }
}
