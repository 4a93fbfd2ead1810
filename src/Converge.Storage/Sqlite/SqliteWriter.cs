using System.Threading.Channels;

namespace Converge.Storage.Sqlite;

/// <summary>
/// The only connection that writes. Callers queue operations; one loop takes everything queued
/// (up to a bound) and runs it in one transaction, so many concurrent writes cost one commit.
/// Each operation runs under its own savepoint: a failing one is undone and fails alone.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteSession _session;
    private readonly int _maxBatchSize;
    private readonly Channel<IWriteOperation> _queue;
    private readonly Task _loop;
    private readonly Core.Storage.StorageSpace? _space;
    private long _committedBatches;

    public SqliteWriter(SqliteSession session, SqliteStoreOptions options, Core.Storage.StorageSpace? space = null)
    {
        _session = session;
        _space = space;
        _maxBatchSize = options.MaxBatchSize;
        _queue = Channel.CreateBounded<IWriteOperation>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
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
        return _queue.Writer.TryWrite(operation) ? operation.Task : EnqueueSlowAsync(operation, cancellationToken);
    }

    private async Task<TResult> EnqueueSlowAsync<TState, TResult>(
        WriteOperation<TState, TResult> operation, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), e);
        }

        return await operation.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<IWriteOperation>(_maxBatchSize);
        var executed = new List<IWriteOperation>(_maxBatchSize);
        var outcomes = new WriteCompletions();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                if (operation.CancellationToken.IsCancellationRequested)
                {
                    outcomes.Cancel(operation);
                }
                else
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count > 0)
            {
                try
                {
                    RunBatch(batch, executed, outcomes);
                }
                catch (Exception e)
                {
                    // A bug here must not stop the loop: every later write would wait forever.
                    Abandon(executed, batch, 0, e, outcomes);
                }
            }

            outcomes = outcomes.Dispatch();

            batch.Clear();
            executed.Clear();
        }
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
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _session.Dispose();
    }
}
