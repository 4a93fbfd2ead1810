namespace Converge.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database on a connection of its own, so that the
/// writer - and every message waiting for its grouped commit - does not stop for it. A PASSIVE
/// checkpoint takes no lock the writer needs; the writer's own automatic checkpoint (at
/// <see cref="SqliteStoreOptions.CheckpointPages"/>) then finds the log almost entirely copied,
/// copies the last few frames and lets the log start over. The fsync of the database file that a
/// checkpoint ends with (synchronous=NORMAL) happens here too, not on the writer's thread.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private readonly SqliteSession _session;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _checkpoints;

    public SqliteCheckpointer(SqliteSession session, TimeSpan interval)
    {
        _session = session;
        _interval = interval;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many background checkpoints ran; lets tests see the loop work.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    // Returns (busy, log frames, frames copied); busy when the writer's own checkpoint runs.
                    _session.ExecuteOnce("PRAGMA wal_checkpoint(PASSIVE)");
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // Busy or locked by another process: the next tick, or the writer's own checkpoint, does it.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _session.Dispose();
    }
}
