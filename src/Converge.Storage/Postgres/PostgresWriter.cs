using Converge.Storage.GroupedWrites;
using Npgsql;

namespace Converge.Storage.Postgres;

/// <summary>
/// Grouped commits on PostgreSQL. Callers queue writes; one loop takes everything queued (up to a
/// bound) and sends all their statements as one <see cref="NpgsqlBatch"/>: one round trip, one
/// implicit transaction, one WAL flush for many callers. A write completes only after that commit,
/// so "stored before acknowledged" costs a share of one flush. When the group fails (a constraint
/// one caller broke), each write of the group is run again on its own, so the culprit fails alone.
/// </summary>
internal sealed class PostgresWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly GroupedWriteLoop<IPostgresWriteOperation> _queue;
    private NpgsqlConnection? _connection;
    private readonly Core.Storage.StorageSpace? _space;
    private long _committedBatches;

    public PostgresWriter(NpgsqlDataSource source, PostgresStoreOptions options, Core.Storage.StorageSpace? space = null)
    {
        _source = source;
        _space = space;
        _queue = new GroupedWriteLoop<IPostgresWriteOperation>(
            options.WriteQueueCapacity,
            options.MaxBatchSize,
            group => new ValueTask(RunGroupAsync(group)),
            static (group, e) => FailAll(group, new InvalidOperationException("The storage transaction failed; the write was not stored.", e)),
            nameof(PostgresWriter));
    }

    /// <summary>How many group transactions committed; lets tests see that writes were grouped.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Writes waiting for the loop to take them (not those of the group being sent).</summary>
    public int QueuedWrites => _queue.Queued;

    /// <summary>Queues <paramref name="statements"/>; the task completes with <paramref name="interpret"/>'s answer once they committed.</summary>
    public Task<TResult> WriteAsync<TResult>(
        IReadOnlyList<PostgresStatement> statements,
        Func<PostgresResult[], TResult> interpret,
        CancellationToken cancellationToken,
        Func<PostgresException, Exception?>? explain = null)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var operation = new PostgresWriteOperation<TResult>(statements, interpret, explain, cancellationToken);
        return _queue.EnqueueAsync(operation, operation.Task, cancellationToken);
    }

    /// <summary>A write whose answer is how many rows its last statement changed.</summary>
    public Task<int> WriteAsync(PostgresStatement statement, CancellationToken cancellationToken) =>
        WriteAsync([statement], static r => r[^1].RecordsAffected, cancellationToken);

    private async Task RunGroupAsync(List<IPostgresWriteOperation> group)
    {
        try
        {
            var results = await ExecuteAsync(group).ConfigureAwait(false);
            Interlocked.Increment(ref _committedBatches);
            var offset = 0;
            foreach (var operation in group)
            {
                operation.Complete(results.AsSpan(offset, operation.Statements.Count));
                offset += operation.Statements.Count;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DiskFull)
        {
            // Checked first: the connection is fine, the server said so. Nothing of the group is stored, and running each write alone would fail the same way.
            _space?.ReportFull("the database server's disk is full (53100 disk_full)");
            FailAll(group, new InvalidOperationException("The database has no room; the write was not stored.", e));
        }
        catch (PostgresException e) when (ConnectionLost(e))
        {
            // The server ended the session (shutdown, restart, terminate): whether the group
            // committed is unknown, so no caller may be told it did.
            await DropConnectionAsync().ConfigureAwait(false);
            FailAll(group, new InvalidOperationException("The database connection failed; the write may not be stored.", e));
        }
        catch (PostgresException) when (group.Count > 1)
        {
            // The server rolled the whole group back: nothing of it is stored. Run each write alone so
            // that only the one that broke a rule is refused.
            foreach (var operation in group)
            {
                await RunGroupAsync([operation]).ConfigureAwait(false);
            }
        }
        catch (PostgresException e)
        {
            group[0].Fail(e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            // The connection broke: whether the group committed is unknown, so no caller may be told it did.
            await DropConnectionAsync().ConfigureAwait(false);
            FailAll(group, new InvalidOperationException("The database connection failed; the write may not be stored.", e));
        }
    }

    private async Task<PostgresResult[]> ExecuteAsync(List<IPostgresWriteOperation> group)
    {
        if (_connection is { State: not System.Data.ConnectionState.Open })
        {
            // Broken by an earlier failure (a server restart, an administrator's terminate): start afresh.
            await DropConnectionAsync().ConfigureAwait(false);
        }

        _connection ??= await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(_connection);
        foreach (var operation in group)
        {
            foreach (var statement in operation.Statements)
            {
                batch.BatchCommands.Add(statement.ToBatchCommand());
            }
        }

        // Without an explicit transaction Npgsql sends the statements before one Sync: PostgreSQL runs
        // them as one implicit transaction, all committed or none.
        var statements = new List<PostgresStatement>(batch.BatchCommands.Count);
        foreach (var operation in group)
        {
            statements.AddRange(operation.Statements);
        }

        var results = new PostgresResult[statements.Count];
        var rows = new List<object?[]>[results.Length];
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            // Result sets belong to the statements that return rows, in order; statements without
            // rows are matched by their position only (their counts come from the batch commands).
            var next = NextReturningRows(statements, 0);
            do
            {
                if (reader.FieldCount == 0 || next >= statements.Count)
                {
                    continue;
                }

                var statementRows = new List<object?[]>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    statementRows.Add(row);
                }

                rows[next] = statementRows;
                next = NextReturningRows(statements, next + 1);
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }

        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new PostgresResult(rows[i] ?? [], batch.BatchCommands[i].RecordsAffected);
        }

        return results;
    }

    // Class 08 (connection exception) and 57P (operator intervention: shutdown, terminate) end the session.
    private bool ConnectionLost(PostgresException e) =>
        _connection is not { State: System.Data.ConnectionState.Open }
        || e.SqlState.StartsWith("08", StringComparison.Ordinal)
        || e.SqlState.StartsWith("57P", StringComparison.Ordinal);

    private static int NextReturningRows(List<PostgresStatement> statements, int from)
    {
        while (from < statements.Count && !statements[from].ReturnsRows)
        {
            from++;
        }

        return from;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void FailAll(List<IPostgresWriteOperation> operations, Exception e)
    {
        foreach (var operation in operations)
        {
            operation.Fail(e);
        }
    }

    /// <summary>Stops taking new writes, runs everything already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync().ConfigureAwait(false);
        await DropConnectionAsync().ConfigureAwait(false);
    }
}
