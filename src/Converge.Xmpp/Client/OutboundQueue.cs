namespace Converge.Xmpp.Client;

/// <summary>
/// The session's queue for its writer loop: any thread writes, one loop reads. It holds nothing while
/// it is empty - the item array is dropped when the writer drains it, and a waiting reader costs one
/// pending task - because most sessions are idle most of the time, and an unbounded Channel keeps its
/// largest segment for ever (after a login's presence burst, ~3 KiB per idle session; docs/benchmarks.md,
/// fifth session). A lock rather than lock-free segments: writes to one session are few and short.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Lock _gate = new();
    private Queue<OutboundItem>? _items;
    private TaskCompletionSource<bool>? _waiter;
    private bool _completed;

    /// <summary>False once the queue is completed (the session is closing).</summary>
    public bool TryWrite(OutboundItem item)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            (_items ??= new Queue<OutboundItem>(4)).Enqueue(item);
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(true);
        return true;
    }

    /// <summary>No more writes; the reader still gets what is queued, then <see cref="WaitToReadAsync"/> answers false.</summary>
    public void TryComplete()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(false);
    }

    /// <summary>True when an item can be read; false when the queue is completed and empty.</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<bool> wait;
            lock (_gate)
            {
                if (_items is { Count: > 0 })
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                // Continuations run on the pool, never inline in a writer's TryWrite (which may hold its own locks).
                _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public bool TryRead(out OutboundItem item)
    {
        lock (_gate)
        {
            if (_items is { Count: > 0 } items)
            {
                item = items.Dequeue();
                if (items.Count == 0)
                {
                    _items = null; // idle again: the array goes with it
                }

                return true;
            }
        }

        item = default;
        return false;
    }
}
