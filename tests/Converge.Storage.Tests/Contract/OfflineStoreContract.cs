using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

public abstract class OfflineStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.FromHours(1));

    private readonly IStoreDatabase _db;

    protected OfflineStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Messages_come_back_in_the_order_stored_with_their_time()
    {
        var stores = await _db.OpenAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await stores.Offline.StoreAsync(Alice, Noon.AddSeconds(i), $"<message id='m{i}'/>"));
        }

        await stores.Offline.StoreAsync(Carol, Noon, "<message id='other'/>");

        var messages = await stores.Offline.PeekAllAsync(Alice, 100);
        Assert.Equal(ids, messages.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"<message id='m{i}'/>"), messages.Select(m => m.StanzaXml));
        Assert.All(messages, m => Assert.Equal(Alice, m.Owner));
        Assert.Equal(Noon.AddSeconds(3), messages[3].Stored);
        Assert.Equal(5, await stores.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task Peek_returns_at_most_max_oldest_first_and_keeps_them()
    {
        var stores = await _db.OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await stores.Offline.StoreAsync(Alice, Noon, $"<message id='m{i}'/>");
        }

        var firstTwo = await stores.Offline.PeekAllAsync(Alice, 2);

        Assert.Equal(["<message id='m0'/>", "<message id='m1'/>"], firstTwo.Select(m => m.StanzaXml));
        Assert.Equal(4, await stores.Offline.CountAsync(Alice));
        Assert.Empty(await stores.Offline.PeekAllAsync(Alice, 0));
    }

    [Fact]
    public async Task Removed_messages_are_gone_and_the_rest_stay_in_order()
    {
        var stores = await _db.OpenAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await stores.Offline.StoreAsync(Alice, Noon, $"<message id='m{i}'/>"));
        }

        await stores.Offline.RemoveAsync(Alice, [ids[0], ids[2]]);

        Assert.Equal([ids[1], ids[3]], (await stores.Offline.PeekAllAsync(Alice, 10)).Select(m => m.Id));
        Assert.Equal(2, await stores.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task Removing_another_users_ids_removes_nothing()
    {
        var stores = await _db.OpenAsync();
        var id = await stores.Offline.StoreAsync(Alice, Noon, "<message/>");

        await stores.Offline.RemoveAsync(Carol, [id]);

        Assert.Equal(1, await stores.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task Ids_are_never_reused_after_removal()
    {
        var stores = await _db.OpenAsync();
        var first = await stores.Offline.StoreAsync(Alice, Noon, "<message id='a'/>");
        await stores.Offline.RemoveAsync(Alice, [first]);

        var second = await stores.Offline.StoreAsync(Alice, Noon, "<message id='b'/>");

        Assert.True(second > first);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteOfflineStoreTests() : OfflineStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOfflineStoreTests(PostgresServer server) : OfflineStoreContract(new TempPostgresDatabase(server, nameof(PostgresOfflineStoreTests)));
