namespace Converge.Xmpp.Client;

/// <summary>
/// How many stanzas of all sessions together are delivered but not yet stored. Delivery no longer
/// waits for the commit, so without a bound the server could deliver far faster than its store
/// commits and build a backlog of seconds (and memory) that a crash would turn into resends. Past the
/// limit every session that has writes outstanding waits for its oldest before it reads on: the server
/// delivers at the pace the store commits, a few grouped commits ahead.
/// </summary>
internal sealed class PendingWriteBudget(int limit)
{
    // Four writer batches' worth (SqliteStoreOptions.MaxBatchSize is 1,024): enough to keep the writer busy.
    public const int DefaultLimit = 4096;

    private long _pending;

    public static PendingWriteBudget Unlimited { get; } = new(int.MaxValue);

    public long Pending => Volatile.Read(ref _pending);

    public bool Exceeded => Volatile.Read(ref _pending) > limit;

    /// <summary>Counts a write until it completes, whatever its outcome.</summary>
    public void Track(Task write)
    {
        Interlocked.Increment(ref _pending);
        write.ContinueWith(
            static (_, state) => Interlocked.Decrement(ref ((PendingWriteBudget)state!)._pending),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
