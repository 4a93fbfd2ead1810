using System.Collections.Concurrent;

namespace Converge.Xmpp.Federation;

/// <summary>Stanzas the agreement with a peer stopped, per direction, since start.</summary>
public sealed record AgreementRefusalCount(string PeerDomain, long RefusedIn, long RefusedOut);

/// <summary>Counts of stanzas refused by the interconnection policy, updated lock-free on the routing path.</summary>
internal sealed class AgreementRefusals
{
    private readonly ConcurrentDictionary<string, long[]> _peers = new(StringComparer.Ordinal);

    public void In(string peer) => Interlocked.Increment(ref Get(peer)[0]);

    public void Out(string peer) => Interlocked.Increment(ref Get(peer)[1]);

    public IReadOnlyList<AgreementRefusalCount> Snapshot() =>
        [.. _peers.Select(p => new AgreementRefusalCount(p.Key, Volatile.Read(ref p.Value[0]), Volatile.Read(ref p.Value[1])))
            .OrderBy(p => p.PeerDomain, StringComparer.Ordinal)];

    private long[] Get(string peer) => _peers.GetOrAdd(peer, static _ => new long[2]);
}
