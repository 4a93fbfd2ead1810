using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// Page cache of the writer connection, in KiB. Every archived message adds to one index page per
    /// owner in each archive index, so the writer's hot set is a few pages per active user; a cache
    /// smaller than that turns each insert into file reads (SQLite's default is 2 MiB).
    /// </summary>
    public int WriterCacheKiB { get; set; } = 64 * 1024;

    /// <summary>
    /// How much of the database file is read through a memory map instead of read calls, in MiB
    /// (0 turns it off: PRAGMA mmap_size = 0). Only address space: the pages are the OS's file cache either way.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MemoryMapMiB { get; set; } = 1024;

    /// <summary>
    /// Under this many bytes free on the data directory's file system the store counts as full: new
    /// messages are refused (resource-constraint) before SQLite runs out of room half-way through a
    /// commit, and taken again once there is room. 0 leaves it to SQLITE_FULL alone.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// WAL pages after which a commit copies the log back into the database (PRAGMA wal_autocheckpoint).
    /// The same hot index pages are written to the log again and again; a longer interval copies
    /// each of them once per checkpoint instead of once per few commits. SQLite's default is 1,000.
    /// </summary>
    public int CheckpointPages { get; set; } = 16_000;

    /// <summary>
    /// How often a connection of its own copies the log into the database (a PASSIVE checkpoint), so
    /// that the writer rarely has to. Internal: a tuning knob for tests, not for operators.
    /// </summary>
    internal TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most write operations grouped into one transaction.</summary>
    internal int MaxBatchSize { get; set; } = 1024;

    /// <summary>How many write operations may wait for the writer before callers are held back.</summary>
    internal int WriteQueueCapacity { get; set; } = 4096;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ReaderConnections, 1, nameof(ReaderConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriterCacheKiB, 0, nameof(WriterCacheKiB));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryMapMiB, 0, nameof(MemoryMapMiB));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinFreeBytes, 0, nameof(MinFreeBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointPages, 1, nameof(CheckpointPages));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQueueCapacity, 1, nameof(WriteQueueCapacity));
    }
}
