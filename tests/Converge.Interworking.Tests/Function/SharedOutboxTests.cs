using System.Collections.Concurrent;
using System.Text.Json;
using Converge.Core.Storage;
using Converge.Interworking.Function;
using Converge.Interworking.Tests.Function.Support;
using Converge.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Tests.Function;

/// <summary>
/// Two nodes' dispatchers draining one outbox, as cluster nodes do on PostgreSQL: every lane goes
/// out from one node, each item once and in order; when the node sending a lane dies, the other
/// takes the lane over once its lease lapsed and continues from the head the dead node left.
/// </summary>
public sealed class SharedOutboxTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryLaneLeases _leases = new(TimeProvider.System);
    private readonly ConcurrentQueue<(string Node, string Lane, string Text, DateTimeOffset At)> _sent = new();
    private readonly CancellationTokenSource _stop = new();
    private IStores _stores = null!;

    public async Task InitializeAsync() => _stores = await SqliteStores.OpenAsync(Path.Combine(_dir, "t.db"));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _stores.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Two_nodes_send_every_lane_from_one_node_each_item_once_in_order()
    {
        var n1 = Dispatcher("n1", TimeSpan.FromSeconds(30));
        var n2 = Dispatcher("n2", TimeSpan.FromSeconds(30));
        var loops = new[] { n1.RunAsync(_stop.Token), n2.RunAsync(_stop.Token) };
        string[] lanes = ["mary +491", "mary +492", "maya +491", "maya +493"];
        for (var i = 1; i <= 25; i++)
        {
            foreach (var lane in lanes)
            {
                await EnqueueAsync(lane, $"{lane} #{i:00}");
                (i % 2 == 0 ? n1 : n2).Wake();
            }
        }

        await WaitForAsync(() => _sent.Count >= 100, "every item sent");
        foreach (var lane in lanes)
        {
            var sends = _sent.Where(s => s.Lane == lane).ToList();
            Assert.Equal(Enumerable.Range(1, 25).Select(i => $"{lane} #{i:00}"), sends.Select(s => s.Text));
            Assert.Single(sends.Select(s => s.Node).Distinct());
        }

        Assert.Equal(100, _sent.Count);
        await _stop.CancelAsync();
        await Task.WhenAll(loops);
    }

    [Fact]
    public async Task A_dead_nodes_lane_goes_on_from_another_node_after_its_lease_in_order()
    {
        var lease = TimeSpan.FromSeconds(2);
        var dead = new TaskCompletionSource();
        var n1 = Dispatcher("n1", lease, onSend: async text =>
        {
            if (text.EndsWith("#06", StringComparison.Ordinal))
            {
                // n1 dies with #06 in flight: it renews nothing and never finishes.
                _leases.CutOff("n1");
                dead.TrySetResult();
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
        });
        var n2 = Dispatcher("n2", lease);
        for (var i = 1; i <= 10; i++)
        {
            await EnqueueAsync("mary +491", $"mary +491 #{i:00}");
        }

        var n1Loop = n1.RunAsync(_stop.Token);
        await dead.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var diedAt = DateTimeOffset.UtcNow;
        var n2Loop = n2.RunAsync(_stop.Token);

        await WaitForAsync(() => _sent.Count(s => s.Node == "n2") >= 5, "n2 sent the rest");
        var byN1 = _sent.Where(s => s.Node == "n1").ToList();
        var byN2 = _sent.Where(s => s.Node == "n2").ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"mary +491 #{i:00}"), byN1.Select(s => s.Text));
        // The head n1 had in flight goes again (an SMS's tracking then decides whether it is re-sent).
        Assert.Equal(Enumerable.Range(6, 5).Select(i => $"mary +491 #{i:00}"), byN2.Select(s => s.Text));
        // Not before n1's last lease could have lapsed (renewed at most a quarter of a lease before it died).
        Assert.True(byN2[0].At - diedAt >= lease * 0.5, $"n2 took over {byN2[0].At - diedAt} after n1 died; the lease is {lease}");
        await _stop.CancelAsync();
        await Task.WhenAll(n1Loop, n2Loop);
    }

    private OutboxDispatcher Dispatcher(string node, TimeSpan lease, Func<string, Task>? onSend = null)
    {
        var ownership = new OutboxLaneOwnership(_leases, node, OutboxChannel.Sms, lease, NullLogger.Instance, TimeProvider.System);
        return new OutboxDispatcher(
            _stores.Outbox,
            OutboxChannel.Sms,
            async (item, envelope, ct) =>
            {
                _sent.Enqueue((node, item.Lane, envelope.Text, DateTimeOffset.UtcNow));
                if (onSend is not null)
                {
                    await onSend(envelope.Text);
                }

                // Long enough that the other node's passes fall while a head is in flight.
                await Task.Delay(2, ct);
                return (SendOutcome.Sent, null);
            },
            (_, _, _) => ValueTask.CompletedTask,
            new InterworkingSettings { Domain = "a.example" },
            NullLogger.Instance,
            TimeProvider.System,
            ownership);
    }

    private Task EnqueueAsync(string lane, string text)
    {
        var sender = lane.Split(' ')[0] + "@a.example";
        var recipient = lane.Split(' ')[1];
        var envelope = new OutboxEnvelope(
            new OutboundConversationMessage(sender, null, recipient, recipient + "@a.example", ConversationKind.Message, text, null, null, false),
            "thread", null, text);
        return _stores.Outbox.EnqueueAsync(lane, OutboxChannel.Sms, JsonSerializer.Serialize(envelope, OutboxJson.Default.OutboxEnvelope), DateTimeOffset.UtcNow);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 60 s: {what}");
            await Task.Delay(20);
        }
    }
}
