using Converge.Core.Storage;
using Converge.Storage.Postgres;

namespace Converge.Storage.Tests.Postgres;

/// <summary>
/// Outbox lane leases on the shared database: one node holds a lane until its lease lapses or it lets
/// go; a node alone (no cluster node name) has no lease store at all.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxLaneLeaseTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private readonly TempPostgresDatabase _db = new(server, nameof(OutboxLaneLeaseTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_lane_held_by_one_node_is_refused_to_another_until_its_lease_lapses()
    {
        var connectionString = await _db.ConnectionStringAsync();
        await using var n1 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n1" });
        await using var n2 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n2" });
        var leases1 = n1.OutboxLaneLeases!;
        var leases2 = n2.OutboxLaneLeases!;

        Assert.Equal(["a b", "c d"], (await leases1.TakeAsync("n1", OutboxChannel.Sms, ["c d", "a b", "a b"], Long)).Order(StringComparer.Ordinal));
        // n2 gets only the lane nobody holds; the same lane on the email channel is another lane.
        Assert.Equal(["e f"], await leases2.TakeAsync("n2", OutboxChannel.Sms, ["a b", "e f"], Long));
        Assert.Equal(["a b"], await leases2.TakeAsync("n2", OutboxChannel.Email, ["a b"], Long));
        // Renewing is taking again.
        Assert.Equal(["a b"], await leases1.TakeAsync("n1", OutboxChannel.Sms, ["a b"], Long));

        // n1 renews "c d" for a moment only; once that lapsed n2 takes it, and n1 can no longer renew it.
        Assert.Equal(["c d"], await leases1.TakeAsync("n1", OutboxChannel.Sms, ["c d"], TimeSpan.FromMilliseconds(200)));
        await WaitUntilAsync(async () => (await leases2.TakeAsync("n2", OutboxChannel.Sms, ["c d"], Long)).Count == 1);
        Assert.Empty(await leases1.TakeAsync("n1", OutboxChannel.Sms, ["c d"], Long));
        Assert.Equal("n2", await _db.ScalarAsync("SELECT node FROM outbox_lane_leases WHERE channel = 'sms' AND lane = 'c d'"));
    }

    [Fact]
    public async Task A_stopping_node_releases_its_leases_and_lapsed_ones_are_forgotten()
    {
        var connectionString = await _db.ConnectionStringAsync();
        await using var n1 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n1" });
        await using var n2 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n2" });
        await n1.OutboxLaneLeases!.TakeAsync("n1", OutboxChannel.Sms, ["a b", "c d"], Long);
        await n1.OutboxLaneLeases!.TakeAsync("n1", OutboxChannel.Email, ["x y"], Long);

        Assert.Equal(2, await n1.OutboxLaneLeases!.ReleaseAsync("n1", OutboxChannel.Sms));
        Assert.Equal(["a b"], await n2.OutboxLaneLeases!.TakeAsync("n2", OutboxChannel.Sms, ["a b"], TimeSpan.FromMilliseconds(100)));
        Assert.Empty(await n2.OutboxLaneLeases!.TakeAsync("n2", OutboxChannel.Email, ["x y"], Long));

        await WaitUntilAsync(async () => await n2.OutboxLaneLeases!.ForgetLapsedAsync() == 1);
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM outbox_lane_leases"));
    }

    [Fact]
    public async Task Two_nodes_asking_for_the_same_lanes_at_once_never_both_get_one_nor_deadlock()
    {
        var connectionString = await _db.ConnectionStringAsync();
        await using var n1 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n1" });
        await using var n2 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n2" });
        for (var round = 0; round < 20; round++)
        {
            // The same lanes in opposite orders: rows are locked in one order whatever the caller's.
            var lanes = Enumerable.Range(0, 50).Select(i => $"+49{round:00}{i:000} lane").ToArray();
            var both = await Task.WhenAll(
                n1.OutboxLaneLeases!.TakeAsync("n1", OutboxChannel.Sms, lanes, Long),
                n2.OutboxLaneLeases!.TakeAsync("n2", OutboxChannel.Sms, [.. lanes.Reverse()], Long));
            Assert.Empty(both[0].Intersect(both[1]));
            Assert.Equal(lanes.Length, both[0].Count + both[1].Count);
        }
    }

    [Fact]
    public async Task A_node_alone_has_no_lease_store()
    {
        await using var alone = await _db.OpenAsync();
        Assert.Null(alone.OutboxLaneLeases);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease did not lapse within 30 s");
            await Task.Delay(50);
        }
    }
}
