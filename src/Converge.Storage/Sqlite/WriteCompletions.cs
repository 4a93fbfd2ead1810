namespace Converge.Storage.Sqlite;

/// <summary>
/// What one batch tells its callers - results, failures, cancellations - handed to the thread pool as
/// one work item once the batch is over. A write's task runs its continuations inline where it is
/// completed (<see cref="WriteOperation{TState, TResult}"/>), so the writer must never complete it on its
/// own thread: callers' code would run on the writer loop. Completing each write with asynchronous
/// continuations instead cost one pool hop per write, two per chat message (the sender's row and the
/// recipient's; docs/benchmarks.md, sixth session). One hop per batch: the callers' continuations (the
/// routed stanza's join of its rows, the pending-write count, an acknowledgement waiting for the
/// commit) run one after the other on that work item, in the order the writes ran.
/// </summary>
internal sealed class WriteCompletions : IThreadPoolWorkItem
{
    // Sets that finished their work item wait here for a later batch: the lists keep their arrays, so a
    // busy writer allocates nothing per batch for this (one set in flight per batch, a few at most).
    private readonly System.Collections.Concurrent.ConcurrentQueue<WriteCompletions> _spare;
    private readonly List<WriteOutcome> _outcomes = [];

    public WriteCompletions()
        : this(new System.Collections.Concurrent.ConcurrentQueue<WriteCompletions>())
    {
    }

    private WriteCompletions(System.Collections.Concurrent.ConcurrentQueue<WriteCompletions> spare) => _spare = spare;

    public int Count => _outcomes.Count;

    public void Complete(IWriteOperation operation) => _outcomes.Add(new(operation, null, Cancelled: false));

    public void Fail(IWriteOperation operation, Exception failure) => _outcomes.Add(new(operation, failure, Cancelled: false));

    public void Cancel(IWriteOperation operation) => _outcomes.Add(new(operation, null, Cancelled: true));

    /// <summary>Queues what was gathered to the pool and returns an empty set for the next batch.</summary>
    public WriteCompletions Dispatch()
    {
        if (_outcomes.Count == 0)
        {
            return this;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return _spare.TryDequeue(out var next) ? next : new WriteCompletions(_spare);
    }

    public void Execute()
    {
        foreach (var (operation, failure, cancelled) in _outcomes)
        {
            if (cancelled)
            {
                operation.Cancel();
            }
            else if (failure is not null)
            {
                operation.Fail(failure);
            }
            else
            {
                operation.Complete();
            }
        }

        _outcomes.Clear();
        _spare.Enqueue(this);
    }

    private readonly record struct WriteOutcome(IWriteOperation Operation, Exception? Failure, bool Cancelled);
}
