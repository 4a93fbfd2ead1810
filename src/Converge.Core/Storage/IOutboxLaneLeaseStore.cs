namespace Converge.Core.Storage;

/// <summary>
/// Which cluster node drains which outbox lane. A lane (sender → recipient of one channel) is sent by
/// one node at a time, so its messages leave in order however many nodes share the outbox; a lease
/// that is not renewed lapses, so the lanes of a node that died are taken over after a bounded time.
/// Only a cluster node has this store: a node alone sends every lane and pays for no lease.
/// Expiry is decided by the database's clock, so the nodes' clocks need not agree.
/// </summary>
public interface IOutboxLaneLeaseStore
{
    /// <summary>
    /// Takes or renews, in one statement, the leases of <paramref name="lanes"/> for <paramref name="node"/>
    /// until <paramref name="duration"/> from now: a lane nobody holds, or whose lease lapsed, or that
    /// <paramref name="node"/> holds already. Returns the lanes <paramref name="node"/> now holds;
    /// the others are held by another node.
    /// </summary>
    Task<IReadOnlyList<string>> TakeAsync(string node, OutboxChannel channel, IReadOnlyCollection<string> lanes, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives up every lease of <paramref name="node"/> on <paramref name="channel"/> (a node stopping): others may take them at once.</summary>
    Task<int> ReleaseAsync(string node, OutboxChannel channel, CancellationToken cancellationToken = default);

    /// <summary>Removes leases that lapsed (a lapsed lease and no lease mean the same); returns how many.</summary>
    Task<int> ForgetLapsedAsync(CancellationToken cancellationToken = default);
}
