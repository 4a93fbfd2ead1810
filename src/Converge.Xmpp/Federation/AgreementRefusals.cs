using System.Collections.Concurrent;

namespace Converge.Xmpp.Federation;

/// <summary>Stanzas the agreement with a peer stopped, per direction, since start.</summary>
public sealed record AgreementRefusalCount(string PeerDomain, long RefusedIn, long RefusedOut);

/// <summary>
/// Counts of stanzas refused by the interconnection policy, updated lock-free on the routing path, and
/// the same refusals as a metric by reason. The metric names the peer only when it has an agreement
/// (<paramref name="hasAgreement"/>): any domain a user writes to can be refused, and a label set must stay bounded.
/// </summary>
internal sealed class AgreementRefusals(Func<string, bool> hasAgreement)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, long[]> _peers = new(StringComparer.Ordinal);

    /// <param name="reason">A constant of <see cref="RefusalReason"/>.</param>
    public void In(string peer, string reason)
    {
        Interlocked.Increment(ref Get(peer)[0]);
        Diagnostics.XmppMetrics.AgreementRefused(hasAgreement(peer) ? peer : Other, inbound: true, reason);
    }

    /// <param name="reason">A constant of <see cref="RefusalReason"/>.</param>
    public void Out(string peer, string reason)
    {
        Interlocked.Increment(ref Get(peer)[1]);
        Diagnostics.XmppMetrics.AgreementRefused(hasAgreement(peer) ? peer : Other, inbound: false, reason);
    }

    public IReadOnlyList<AgreementRefusalCount> Snapshot() =>
        [.. _peers.Select(p => new AgreementRefusalCount(p.Key, Volatile.Read(ref p.Value[0]), Volatile.Read(ref p.Value[1])))
            .OrderBy(p => p.PeerDomain, StringComparer.Ordinal)];

    private long[] Get(string peer) => _peers.GetOrAdd(peer, static _ => new long[2]);
}
