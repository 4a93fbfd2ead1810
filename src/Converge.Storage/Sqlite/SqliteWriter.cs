using Converge.Storage.GroupedWrites;

namespace Converge.Storage.Sqlite;

/// <summary>
/// The only connection that writes. Callers queue operations; one loop takes everything queued
/// (up to a bound) and runs it in one transaction, so many concurrent writes cost one commit.
/// Each operation runs under its own savepoint: a failing one is undone and fails alone.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteSession _session;
    private readonly GroupedWriteLoop<IWriteOperation> _queue;

    /// <summary>The operations of the running batch that ran to the end (only the loop touches it).</summary>
    private readonly List<IWriteOperation> _executed;

    /// <summary>What the running batch tells its callers once it is over (only the loop touches it).</summary>
    private WriteCompletions _outcomes = new();
    private readonly Core.Storage.StorageSpace? _space;
    private long _committedBatches;

    public SqliteWriter(SqliteSession session, SqliteStoreOptions options, Core.Storage.StorageSpace? space = null)
    {
        _session = session;
        _space = space;
        _executed = new List<IWriteOperation>(options.MaxBatchSize);
        _queue = new GroupedWriteLoop<IWriteOperation>(
            options.WriteQueueCapacity, options.MaxBatchSize, RunGroup, AbandonGroup, nameof(SqliteWriter), SkipCancelled, AfterGroup);
    }

    /// <summary>How many batch transactions committed; lets tests see that writes were grouped.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>
    /// Queues <paramref name="body"/> to run on the writer connection inside a transaction; the task
    /// completes once that transaction committed. The body must be synchronous and must not
    /// begin or end transactions itself.
    /// </summary>
    public Task<TResult> WriteAsync<TState, TResult>(
        Func<SqliteSession, TState, TResult> body, TState state, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var operation = new WriteOperation<TState, TResult>(body, state, cancellationToken);
        return _queue.EnqueueAsync(operation, operation.Task, cancellationToken);
    }

    private ValueTask RunGroup(List<IWriteOperation> batch)
    {
        RunBatch(batch, _executed, _outcomes);
        return ValueTask.CompletedTask;
    }

    private void AbandonGroup(List<IWriteOperation> batch, Exception cause) =>
        Abandon(_executed, batch, 0, cause, _outcomes);

    // A write whose caller gave up before its group ran is cancelled with the group's other outcomes,
    // never on the writer's thread (its continuations run inline: WriteCompletions).
    private void SkipCancelled(IWriteOperation operation) => _outcomes.Cancel(operation);

    // After each turn of the loop: one thread-pool work item tells every caller of the group.
    private void AfterGroup()
    {
        _outcomes = _outcomes.Dispatch();
        _executed.Clear();
    }

    private void RunBatch(List<IWriteOperation> batch, List<IWriteOperation> executed, WriteCompletions outcomes)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // IMMEDIATE takes the write lock up front, so a second process (the CLI) makes us wait
            // in busy_timeout here instead of failing half-way through the batch.
            _session.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            ObserveFull(e);
            FailAll(batch, e, outcomes);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var operation = batch[i];
            if (operation.CancellationToken.IsCancellationRequested)
            {
                outcomes.Cancel(operation);
                continue;
            }

            try
            {
                _session.Run("SAVEPOINT op");
                operation.Execute(_session);
                _session.Run("RELEASE op");
                executed.Add(operation);
            }
            catch (Exception e)
            {
                ObserveFull(e);
                if (!TryUndo())
                {
                    // Some errors (disk full, I/O) roll back the whole transaction: nothing of this
                    // batch is stored, so nobody in it may be told otherwise.
                    outcomes.Fail(operation, e);
                    Abandon(executed, batch, i + 1, e, outcomes);
                    return;
                }

                outcomes.Fail(operation, e);
            }
        }

        try
        {
            _session.Execute("COMMIT");
        }
        catch (Exception e)
        {
            ObserveFull(e);
            Abandon(executed, batch, batch.Count, e, outcomes);
            return;
        }

        Interlocked.Increment(ref _committedBatches);
        StorageMetrics.Committed(executed.Count, started);
        foreach (var operation in executed)
        {
            outcomes.Complete(operation);
        }
    }

    /// <summary>SQLITE_FULL (13): the disk or the file system has no room; new messages are refused until it has.</summary>
    private void ObserveFull(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 })
            {
                _space?.ReportFull("the database or file system is full (SQLITE_FULL)");
                return;
            }
        }
    }

    private bool TryUndo()
    {
        if (!_session.InTransaction)
        {
            return false;
        }

        try
        {
            _session.Run("ROLLBACK TO op");
            _session.Run("RELEASE op");
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private void Abandon(List<IWriteOperation> executed, List<IWriteOperation> batch, int firstNotRun, Exception cause, WriteCompletions outcomes)
    {
        try
        {
            _session.RollbackIfInTransaction();
        }
        catch (Exception)
        {
            // The connection already lost the transaction; the callers learn of the original cause.
        }

        StorageMetrics.Failed();
        var failure = new InvalidOperationException("The storage transaction failed; the write was not stored.", cause);
        FailAll(executed, failure, outcomes);
        for (var i = firstNotRun; i < batch.Count; i++)
        {
            outcomes.Fail(batch[i], failure);
        }
    }

    private static void FailAll(List<IWriteOperation> operations, Exception e, WriteCompletions outcomes)
    {
        foreach (var operation in operations)
        {
            outcomes.Fail(operation, e);
        }
    }

    /// <summary>Stops taking new writes, runs everything already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync().ConfigureAwait(false);
        _session.Dispose();
    }
}
