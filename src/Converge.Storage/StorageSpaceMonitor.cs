using Converge.Core.Storage;

namespace Converge.Storage;

/// <summary>
/// Keeps <see cref="StorageSpace"/> true to the disk: once a second it reads how much the file system
/// holding the data still has (when the provider can tell), marks the store full under the floor, and
/// clears a full store again once there is room - so the server recovers by itself when space returns.
/// Where free space cannot be read (a database server elsewhere), a full store is retried after
/// <see cref="RetryAfter"/>: the next write finds out.
/// </summary>
internal sealed class StorageSpaceMonitor : IAsyncDisposable
{
    /// <summary>How long a full store waits before writes are tried again when free space cannot be read.</summary>
    internal static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly StorageSpace _space;
    private readonly Func<long?> _freeBytes;
    private readonly long _floor;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StorageSpaceMonitor(StorageSpace space, Func<long?> freeBytes, long floor)
    {
        _space = space;
        _freeBytes = freeBytes;
        _floor = floor;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>One look at the disk (the loop's body; tests call it directly).</summary>
    internal void Check()
    {
        var free = _freeBytes();
        if (free is { } bytes && bytes < _floor)
        {
            _space.ReportFull($"only {bytes} bytes free on the data directory's file system (Storage.Sqlite.MinFreeBytes: {_floor})");
            return;
        }

        if (_space.IsFull && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - _space.FullSinceUnixMs >= RetryAfter.TotalMilliseconds)
        {
            _space.ReportRoom();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                Check();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
