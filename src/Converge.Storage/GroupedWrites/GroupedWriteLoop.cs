using System.Threading.Channels;

namespace Converge.Storage.GroupedWrites;

/// <summary>
/// The grouped-commit loop both storage providers share: callers queue writes on a bounded queue (a
/// full queue makes them wait), and one loop takes everything queued, up to a group size, skips the
/// writes whose callers gave up meanwhile, and hands the group to the provider, which runs it as one
/// transaction. Many concurrent writes so cost one commit. How a group runs (savepoints on SQLite, a
/// batch on PostgreSQL) is the provider's; a group that throws is given to <c>abandonGroup</c> so
/// that nobody waits forever.
/// </summary>
internal sealed class GroupedWriteLoop<TWrite> : IAsyncDisposable
    where TWrite : class, IQueuedWrite
{
    private readonly Channel<TWrite> _queue;
    private readonly int _maxGroupSize;
    private readonly Func<List<TWrite>, ValueTask> _runGroup;
    private readonly Action<List<TWrite>, Exception> _abandonGroup;
    private readonly string _owner;
    private readonly Action<TWrite>? _skipCancelled;
    private readonly Action? _afterGroup;
    private readonly Task _loop;

    /// <param name="capacity">Writes that may wait; beyond it, callers wait for room.</param>
    /// <param name="maxGroupSize">The most writes one transaction takes.</param>
    /// <param name="runGroup">Runs one group as one transaction and completes or fails each write of it.</param>
    /// <param name="abandonGroup">Fails every write of a group whose run threw (a bug must not stop the loop).</param>
    /// <param name="owner">The writer's name, for the exception a caller gets once the loop is closed.</param>
    /// <param name="skipCancelled">Cancels a write whose caller gave up (default: at once, on the loop).</param>
    /// <param name="afterGroup">Runs after each turn of the loop, e.g. to tell the group's callers at once.</param>
    public GroupedWriteLoop(
        int capacity,
        int maxGroupSize,
        Func<List<TWrite>, ValueTask> runGroup,
        Action<List<TWrite>, Exception> abandonGroup,
        string owner,
        Action<TWrite>? skipCancelled = null,
        Action? afterGroup = null)
    {
        _skipCancelled = skipCancelled;
        _afterGroup = afterGroup;
        _maxGroupSize = maxGroupSize;
        _runGroup = runGroup;
        _abandonGroup = abandonGroup;
        _owner = owner;
        _queue = Channel.CreateBounded<TWrite>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Writes waiting for the loop to take them (not those of the group being run).</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues <paramref name="write"/>; returns <paramref name="completion"/>, which its group completes.</summary>
    public Task<TResult> EnqueueAsync<TResult>(TWrite write, Task<TResult> completion, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(write) ? completion : EnqueueSlowAsync(write, completion, cancellationToken);

    private async Task<TResult> EnqueueSlowAsync<TResult>(TWrite write, Task<TResult> completion, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException(_owner, e);
        }

        return await completion.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<TWrite>(_maxGroupSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < _maxGroupSize && reader.TryRead(out var write))
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    if (_skipCancelled is { } skip)
                    {
                        skip(write);
                    }
                    else
                    {
                        write.Cancel();
                    }
                }
                else
                {
                    group.Add(write);
                }
            }

            if (group.Count > 0)
            {
                try
                {
                    await _runGroup(group).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // A bug here must not stop the loop: every later write would wait forever.
                    _abandonGroup(group, e);
                }
            }

            _afterGroup?.Invoke();
            group.Clear();
        }
    }

    /// <summary>Stops taking new writes and returns once everything already queued has run.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
