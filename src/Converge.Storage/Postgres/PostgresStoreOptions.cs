namespace Converge.Storage.Postgres;

/// <summary>Tuning of the PostgreSQL store.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The most write operations grouped into one round trip and transaction.</summary>
    internal int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Set on a node of a cluster (Cluster.NodeName): the archive then hands out ids that grow with
    /// time and carry the node's own slot, so that nodes sharing the database never hand out the same id;
    /// and the outbox lane leases exist (<see cref="Core.Storage.IStores.OutboxLaneLeases"/>).
    /// </summary>
    public string? ClusterNodeName { get; set; }

    /// <summary>How many write operations may wait for the writer before callers are held back.</summary>
    internal int WriteQueueCapacity { get; set; } = 4096;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQueueCapacity, 1, nameof(WriteQueueCapacity));
    }
}
