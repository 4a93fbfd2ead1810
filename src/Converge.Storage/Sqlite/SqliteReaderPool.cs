using System.Collections.Concurrent;

namespace Converge.Storage.Sqlite;

/// <summary>
/// A few read-only connections lent to one reader at a time. WAL lets them read the last
/// committed state while the writer commits. Connections open on first need, so a short-lived
/// process (the CLI) opens only what it uses.
/// </summary>
internal sealed class SqliteReaderPool : IAsyncDisposable
{
    private readonly string _path;
    private readonly SqliteStoreOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<SqliteSession> _idle = new();
    private readonly int _size;
    private volatile bool _disposed;

    public SqliteReaderPool(string path, SqliteStoreOptions options)
    {
        _path = path;
        _options = options;
        _size = options.ReaderConnections;
        _slots = new SemaphoreSlim(_size, _size);
    }

    /// <summary>Runs the synchronous <paramref name="body"/> on a reader connection.</summary>
    public async Task<TResult> ReadAsync<TState, TResult>(
        Func<SqliteSession, TState, TResult> body, TState state, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StorageMetrics.Read();
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = _idle.TryPop(out var idle) ? idle : SqliteConnectionFactory.OpenReader(_path, _options);
            try
            {
                return body(session, state);
            }
            finally
            {
                ReturnOrDiscard(session);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private void ReturnOrDiscard(SqliteSession session)
    {
        try
        {
            session.RollbackIfInTransaction();
            _idle.Push(session);
        }
        catch (Exception)
        {
            // A connection that cannot even roll back is not lent again.
            session.Dispose();
        }
    }

    /// <summary>Waits for reads in progress, then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < _size; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        while (_idle.TryPop(out var session))
        {
            session.Dispose();
        }

        // Let readers that queued behind the disposal see it and throw.
        _slots.Release(_size);
    }
}
