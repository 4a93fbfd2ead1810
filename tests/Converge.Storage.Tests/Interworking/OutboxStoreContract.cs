using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Interworking;

public abstract class OutboxStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.FromHours(1));

    private readonly IStoreDatabase _db;

    protected OutboxStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_hundred_concurrent_enqueues_are_each_pending_once_in_id_order()
    {
        var stores = await _db.OpenAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => stores.Outbox.EnqueueAsync($"lane{i % 3}", OutboxChannel.Sms, $"{{\"n\":{i}}}", Noon))));

        var pending = await stores.Outbox.PendingAsync(1000);
        Assert.Equal(ids.Order(), pending.Select(p => p.Id));
        Assert.Equal(100, pending.Select(p => p.Payload).Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
        {
            var item = Assert.Single(pending, p => p.Id == ids[i]);
            Assert.Equal($"{{\"n\":{i}}}", item.Payload);
            Assert.Equal($"lane{i % 3}", item.Lane);
        }
    }

    [Fact]
    public async Task Lane_heads_are_the_oldest_item_of_each_lane_of_the_channel_in_id_order()
    {
        var stores = await _db.OpenAsync();
        var a1 = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a1", Noon);
        var b1 = await stores.Outbox.EnqueueAsync("mary>paul", OutboxChannel.Sms, "b1", Noon);
        await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a2", Noon);
        var mail = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Email, "m1", Noon);
        await stores.Outbox.EnqueueAsync("mary>paul", OutboxChannel.Sms, "b2", Noon);

        Assert.Equal([a1, b1], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon, 100)).Select(i => i.Id));
        Assert.Equal([mail], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Email, Noon, 100)).Select(i => i.Id));
        Assert.Equal([a1], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon, 1)).Select(i => i.Id));

        // Once a head leaves, the next item of its lane is the head - behind the other lane's older head.
        await stores.Outbox.CompleteAsync(a1);
        Assert.Equal(["b1", "a2"], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon, 100)).Select(i => i.Payload));

        // A head that is not due holds its lane: neither it nor the item behind it is offered.
        await stores.Outbox.RescheduleAsync(b1, 1, Noon.AddMinutes(1));
        Assert.Equal(["a2"], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon, 100)).Select(i => i.Payload));
        Assert.Equal(["b1", "a2"], (await stores.Outbox.LaneHeadsAsync(OutboxChannel.Sms, Noon.AddMinutes(1), 100)).Select(i => i.Payload));
    }

    [Fact]
    public async Task Ids_grow_in_the_order_of_enqueueing_even_after_the_newest_completed()
    {
        var stores = await _db.OpenAsync();
        var first = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "a", Noon);
        var second = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "b", Noon);
        await stores.Outbox.CompleteAsync(second);

        var third = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "c", Noon);

        Assert.True(first < second);
        Assert.True(second < third);
    }

    [Fact]
    public async Task The_channel_is_stored_as_the_words_older_databases_hold_and_read_back_from_them()
    {
        var stores = await _db.OpenAsync();
        await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "s", Noon);
        await stores.Outbox.EnqueueAsync("mary>peter@mail", OutboxChannel.Email, "e", Noon);

        var aggregate = _db.Provider == "Sqlite" ? "group_concat(channel, ',')" : "string_agg(channel, ',')";
        Assert.Equal("email,sms", await _db.ScalarAsync($"SELECT {aggregate} FROM (SELECT channel FROM outbox ORDER BY channel) c"));
        Assert.Equal([OutboxChannel.Sms, OutboxChannel.Email], (await stores.Outbox.PendingAsync(10)).Select(i => i.Channel));
    }

    [Fact]
    public async Task A_new_item_has_no_attempts_is_due_at_once_and_keeps_its_fields_to_the_millisecond()
    {
        var stores = await _db.OpenAsync();

        var id = await stores.Outbox.EnqueueAsync("mary>peter@mail", OutboxChannel.Email, "{\"subject\":\"hi\"}", Noon);

        var item = Assert.Single(await stores.Outbox.PendingAsync(10));
        Assert.Equal(id, item.Id);
        Assert.Equal("mary>peter@mail", item.Lane);
        Assert.Equal(OutboxChannel.Email, item.Channel);
        Assert.Equal("{\"subject\":\"hi\"}", item.Payload);
        Assert.Equal(0, item.Attempts);
        Assert.Equal(Noon, item.Created);
        Assert.Equal(TimeSpan.Zero, item.Created.Offset);
        Assert.Equal(Noon, item.NextAttempt);
    }

    [Fact]
    public async Task Pending_returns_at_most_max_oldest_first()
    {
        var stores = await _db.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await stores.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, $"m{i}", Noon);
        }

        Assert.Equal(["m0", "m1"], (await stores.Outbox.PendingAsync(2)).Select(p => p.Payload));
        Assert.Empty(await stores.Outbox.PendingAsync(0));
        Assert.Equal(5, (await stores.Outbox.PendingAsync(100)).Count);
    }

    [Fact]
    public async Task A_completed_item_is_no_longer_pending_and_the_others_keep_their_order()
    {
        var stores = await _db.OpenAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await stores.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, $"m{i}", Noon));
        }

        await stores.Outbox.CompleteAsync(ids[1]);

        Assert.Equal([ids[0], ids[2]], (await stores.Outbox.PendingAsync(10)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_rescheduled_item_stays_pending_in_place_with_its_attempts_and_later_time()
    {
        var stores = await _db.OpenAsync();
        var first = await stores.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, "m0", Noon);
        var second = await stores.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, "m1", Noon);
        var later = Noon.AddMinutes(5).AddMilliseconds(7);

        await stores.Outbox.RescheduleAsync(first, 3, later);

        var pending = await stores.Outbox.PendingAsync(10);
        Assert.Equal([first, second], pending.Select(p => p.Id));
        Assert.Equal(3, pending[0].Attempts);
        Assert.Equal(later, pending[0].NextAttempt);
        Assert.Equal(Noon, pending[0].Created);
        Assert.Equal(0, pending[1].Attempts);
        Assert.Equal(Noon, pending[1].NextAttempt);
    }

    [Fact]
    public async Task Pending_items_survive_a_restart_with_their_attempts()
    {
        var stores = await _db.OpenAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await stores.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, $"m{i}", Noon));
        }

        await stores.Outbox.CompleteAsync(ids[0]);
        await stores.Outbox.RescheduleAsync(ids[1], 1, Noon.AddSeconds(30));
        await stores.DisposeAsync();

        var reopened = await _db.OpenAsync();

        var pending = await reopened.Outbox.PendingAsync(10);
        Assert.Equal(ids.Skip(1), pending.Select(p => p.Id));
        Assert.Equal(["m1", "m2", "m3"], pending.Select(p => p.Payload));
        Assert.Equal(1, pending[0].Attempts);
        Assert.Equal(Noon.AddSeconds(30), pending[0].NextAttempt);
        Assert.True(await reopened.Outbox.EnqueueAsync("lane", OutboxChannel.Sms, "m4", Noon) > ids[^1]);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteOutboxStoreTests() : OutboxStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxStoreTests(PostgresServer server) : OutboxStoreContract(new TempPostgresDatabase(server, nameof(PostgresOutboxStoreTests)));
