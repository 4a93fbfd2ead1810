using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Interworking;

/// <summary>What an operator sees of the outbox and does to a lane (admin API, <c>converge outbox</c>).</summary>
public abstract class OutboxOperatorContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly IStoreDatabase _db;

    protected OutboxOperatorContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Lanes_show_depth_oldest_and_the_heads_retry_state_oldest_first_and_totals_count_per_channel()
    {
        var stores = await _db.OpenAsync();
        var peterHead = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a1", Noon.AddMinutes(-10));
        await stores.Outbox.EnqueueAsync("mary>paul", OutboxChannel.Sms, "b1", Noon.AddMinutes(-5));
        await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a2", Noon);
        await stores.Outbox.EnqueueAsync("mary>mail", OutboxChannel.Email, "m1", Noon.AddMinutes(-1));
        await stores.Outbox.RescheduleAsync(peterHead, 3, Noon.AddHours(1));

        var sms = await stores.Outbox.LanesAsync(OutboxChannel.Sms, 10);
        var all = await stores.Outbox.LanesAsync(null, 10);
        var totals = await stores.Outbox.TotalsAsync();

        Assert.Equal(
            [
                new OutboxLane("mary>peter", OutboxChannel.Sms, 2, Noon.AddMinutes(-10), 3, Noon.AddHours(1)),
                new OutboxLane("mary>paul", OutboxChannel.Sms, 1, Noon.AddMinutes(-5), 0, Noon.AddMinutes(-5)),
            ],
            sms);
        Assert.Equal(["mary>peter", "mary>paul", "mary>mail"], all.Select(l => l.Lane));
        Assert.Single(await stores.Outbox.LanesAsync(null, 1));
        Assert.Equal(
            [new OutboxChannelTotals(OutboxChannel.Email, 1, 1, Noon.AddMinutes(-1)), new OutboxChannelTotals(OutboxChannel.Sms, 3, 2, Noon.AddMinutes(-10))],
            totals.OrderBy(t => t.Channel.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Retry_makes_a_backed_off_lane_due_now_and_drop_removes_only_that_lane()
    {
        var stores = await _db.OpenAsync();
        var head = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a1", Noon);
        await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a2", Noon);
        var other = await stores.Outbox.EnqueueAsync("mary>paul", OutboxChannel.Sms, "b1", Noon);
        await stores.Outbox.RescheduleAsync(head, 5, Noon.AddHours(2));
        Assert.Equal([other], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon.AddMinutes(1), 10)).Select(i => i.Id));

        var retried = await stores.Outbox.RetryLaneAsync("mary>peter", Noon.AddMinutes(1));

        Assert.Equal(1, retried);
        Assert.Equal([head, other], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon.AddMinutes(1), 10)).Select(i => i.Id));

        var dropped = await stores.Outbox.DropLaneAsync("mary>peter");

        Assert.Equal(2, dropped);
        Assert.Equal([other], (await stores.Outbox.PendingAsync(10)).Select(i => i.Id));
        Assert.Equal(0, await stores.Outbox.DropLaneAsync("mary>peter"));
        Assert.Equal(0, await stores.Outbox.RetryLaneAsync("nobody", Noon));
    }
}

public sealed class SqliteOutboxOperatorTests() : OutboxOperatorContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxOperatorTests(PostgresServer server) : OutboxOperatorContract(new TempPostgresDatabase(server, nameof(PostgresOutboxOperatorTests)));
