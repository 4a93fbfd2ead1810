namespace Converge.Storage.Postgres;

/// <summary>Tuning of the PostgreSQL store.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The most write operations grouped into one round trip and transaction.</summary>
    internal int MaxBatchSize { get; set; } = 512;

    /// <summary>How many write operations may wait for the writer before callers are held back.</summary>
    internal int WriteQueueCapacity { get; set; } = 4096;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQueueCapacity, 1, nameof(WriteQueueCapacity));
    }
}
