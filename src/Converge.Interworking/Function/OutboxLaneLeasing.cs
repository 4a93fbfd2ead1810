using Converge.Core.Storage;

namespace Converge.Interworking.Function;

/// <summary>What a cluster node's interworking function needs to share the outbox: the leases, its name, their length.</summary>
/// <param name="Duration">How long a lease lasts unless renewed: how long the lanes of a node that died wait for another.</param>
public sealed record OutboxLaneLeasing(IOutboxLaneLeaseStore Leases, string Node, TimeSpan Duration);
