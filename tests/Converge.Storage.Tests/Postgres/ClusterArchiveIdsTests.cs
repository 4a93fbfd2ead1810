using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Postgres;
using Converge.Storage.Postgres.Stores;

namespace Converge.Storage.Tests.Postgres;

/// <summary>
/// Cluster nodes share one database and each hands out archive ids itself: from a slot of its own,
/// growing with time, above every id a single node handed out.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterArchiveIdsTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempPostgresDatabase _db = new(server, nameof(ClusterArchiveIdsTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public void Ids_of_one_slot_grow_and_never_fall_into_another_slot_even_past_8192_in_a_millisecond()
    {
        var ids = new ClusterArchiveIds(5);
        var previous = 0L;
        for (var i = 0; i < 20_000; i++)
        {
            var id = ids.Next();
            Assert.True(id > previous, $"id {id} after {previous}");
            Assert.Equal(5, (int)((id >> 13) & 1023));
            previous = id;
        }
    }

    [Fact]
    public async Task Two_nodes_on_one_database_store_interleaved_messages_without_a_clash_and_a_single_node_id_stays_below()
    {
        var connectionString = await _db.ConnectionStringAsync();
        var single = await _db.OpenAsync();
        var old = await single.Archive.AppendAsync(Entry("before the cluster"));
        await single.DisposeAsync();

        await using var n1 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n1" });
        await using var n2 = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n2" });
        var stored = new List<ArchivedMessage>();
        for (var i = 0; i < 50; i++)
        {
            // Both nodes store at the same time; without slots both would hand out the same next id.
            var pair = await Task.WhenAll(n1.Archive.AppendAsync(Entry($"n1 #{i}")), n2.Archive.AppendAsync(Entry($"n2 #{i}")));
            stored.AddRange(pair);
        }

        Assert.Equal(100, stored.Select(m => m.Id).Distinct().Count());
        Assert.All(stored, m => Assert.True(string.CompareOrdinal(m.Id, old.Id) > 0, $"{m.Id} is not above {old.Id}"));
        Assert.Equal(101L, await _db.ScalarAsync("SELECT count(*) FROM archive_messages"));

        // A node keeps its slot across restarts; another name gets another one.
        await using var again = await PostgresStores.OpenAsync(connectionString, new PostgresStoreOptions { ClusterNodeName = "n1" });
        Assert.Equal(2L, await _db.ScalarAsync("SELECT count(*) FROM archive_id_slots"));
    }

    private static ArchiveEntry Entry(string body) => new(
        Jid.Parse("alice@a.example"), Jid.Parse("bob@a.example"), DateTimeOffset.UtcNow, true, null,
        $"<message xmlns='jabber:client' type='chat'><body>{body}</body></message>");
}
