namespace Converge.Storage.Sqlite;

/// <summary>Tuning of the embedded SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// PRAGMA synchronous=FULL instead of NORMAL. In WAL mode NORMAL already survives a crash of
    /// the process; FULL also survives a power cut or an OS crash, at the price of an fsync per commit.
    /// </summary>
    public bool SynchronousFull { get; set; }

    /// <summary>How many connections serve reads beside the single writer.</summary>
    public int ReaderConnections { get; set; } = 4;

    /// <summary>How long a statement waits for a lock held by another process (the CLI, a backup) before it fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most write operations grouped into one transaction.</summary>
    internal int MaxBatchSize { get; set; } = 256;

    /// <summary>How many write operations may wait for the writer before callers are held back.</summary>
    internal int WriteQueueCapacity { get; set; } = 4096;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ReaderConnections, 1, nameof(ReaderConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQueueCapacity, 1, nameof(WriteQueueCapacity));
    }
}
