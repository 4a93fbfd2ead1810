namespace Converge.Core.Storage;

/// <summary>
/// Whether the store has room for new writes (issue 15, item 4: disk full). The provider marks it
/// full when a write fails for lack of space (SQLite's SQLITE_FULL, PostgreSQL's disk_full) or the
/// data directory's free space falls under its floor, and clear again when space returns; the routing
/// step then refuses new messages with resource-constraint instead of taking what it could not
/// store, while reads go on. Thread-safe; flips are rare, reads are a volatile load.
/// </summary>
public sealed class StorageSpace
{
    private volatile string? _fullBecause;
    private long _fullSince;

    /// <summary>No room: new messages are refused until space returns.</summary>
    public bool IsFull => _fullBecause is not null;

    /// <summary>Why the store is full (for logs), or null.</summary>
    public string? Reason => _fullBecause;

    /// <summary>When the store was last found full (Unix milliseconds; 0 when never).</summary>
    public long FullSinceUnixMs => Interlocked.Read(ref _fullSince);

    /// <summary>Raised on each change between full and not full, with the new state.</summary>
    public event Action<bool, string?>? Changed;

    /// <summary>A write failed for lack of space, or free space fell under the floor.</summary>
    public void ReportFull(string reason)
    {
        Interlocked.Exchange(ref _fullSince, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var was = _fullBecause;
        _fullBecause = reason;
        if (was is null)
        {
            Changed?.Invoke(true, reason);
        }
    }

    /// <summary>Space is back: writes are taken again.</summary>
    public void ReportRoom()
    {
        if (_fullBecause is null)
        {
            return;
        }

        _fullBecause = null;
        Changed?.Invoke(false, null);
    }
}
