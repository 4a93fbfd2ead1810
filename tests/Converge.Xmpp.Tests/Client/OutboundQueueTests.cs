using Converge.Xmpp.Client;

namespace Converge.Xmpp.Tests.Client;

/// <summary>The session's writer queue: order, completion, and a waiting reader woken by a write from another thread.</summary>
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        var queue = new OutboundQueue();
        for (uint i = 1; i <= 100; i++)
        {
            Assert.True(queue.TryWrite(new OutboundItem(OutboundKind.ClientAck, null, i)));
        }

        for (uint i = 1; i <= 100; i++)
        {
            Assert.True(queue.TryRead(out var item));
            Assert.Equal(i, item.Count);
        }

        Assert.False(queue.TryRead(out _));
    }

    [Fact]
    public async Task A_completed_queue_refuses_writes_but_hands_out_what_it_holds_then_says_no_more()
    {
        var queue = new OutboundQueue();
        queue.TryWrite(new OutboundItem(OutboundKind.Keepalive, null));
        queue.TryComplete();

        Assert.False(queue.TryWrite(new OutboundItem(OutboundKind.Keepalive, null)));
        Assert.True(await queue.WaitToReadAsync(CancellationToken.None));
        Assert.True(queue.TryRead(out _));
        Assert.False(await queue.WaitToReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write_from_another_thread()
    {
        var queue = new OutboundQueue();
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        await Task.Run(() => queue.TryWrite(new OutboundItem(OutboundKind.ClientAck, null, 7)));

        Assert.True(await waiting.WaitAsync(Patience));
        Assert.True(queue.TryRead(out var item));
        Assert.Equal(7u, item.Count);
    }

    [Fact]
    public async Task A_waiting_reader_is_released_by_completion_and_by_cancellation()
    {
        var queue = new OutboundQueue();
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        queue.TryComplete();
        Assert.False(await waiting.WaitAsync(Patience));

        var other = new OutboundQueue();
        using var cancel = new CancellationTokenSource();
        var cancelled = other.WaitToReadAsync(cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
    }

    [Fact]
    public async Task Many_writers_lose_nothing()
    {
        var queue = new OutboundQueue();
        const int writers = 8;
        const int each = 2_000;
        var reader = Task.Run(async () =>
        {
            var seen = 0;
            while (seen < writers * each && await queue.WaitToReadAsync(CancellationToken.None))
            {
                while (queue.TryRead(out _))
                {
                    seen++;
                }
            }

            return seen;
        });

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < each; i++)
            {
                Assert.True(queue.TryWrite(new OutboundItem(OutboundKind.Keepalive, null)));
            }
        })));

        Assert.Equal(writers * each, await reader.WaitAsync(Patience));
    }
}
