using Converge.Core.Addressing;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

public abstract class BlockListAndVCardContract : IAsyncLifetime
{
    private static readonly Jid Spammer = Jid.Parse("spam@evil.example");
    private static readonly Jid SpamDomain = Jid.Parse("spam.example");
    private static readonly Jid SpamResource = Jid.Parse("bot@evil.example/x");

    private readonly IStoreDatabase _db;

    protected BlockListAndVCardContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Blocked_jids_come_back_as_given_in_the_order_blocked_without_duplicates()
    {
        var stores = await _db.OpenAsync();

        await stores.BlockLists.AddAsync(Alice, [Spammer, SpamDomain]);
        await stores.BlockLists.AddAsync(Alice, [SpamResource, Spammer]);

        Assert.Equal([Spammer, SpamDomain, SpamResource], await stores.BlockLists.GetAsync(Alice));
        Assert.Empty(await stores.BlockLists.GetAsync(Carol));
    }

    [Fact]
    public async Task Removing_items_unblocks_only_those()
    {
        var stores = await _db.OpenAsync();
        await stores.BlockLists.AddAsync(Alice, [Spammer, SpamDomain, SpamResource]);

        await stores.BlockLists.RemoveAsync(Alice, [SpamDomain]);

        Assert.Equal([Spammer, SpamResource], await stores.BlockLists.GetAsync(Alice));
    }

    [Fact]
    public async Task Removing_with_no_items_unblocks_everything_of_that_owner_only()
    {
        var stores = await _db.OpenAsync();
        await stores.BlockLists.AddAsync(Alice, [Spammer, SpamDomain]);
        await stores.BlockLists.AddAsync(Carol, [Spammer]);

        await stores.BlockLists.RemoveAsync(Alice, []);

        Assert.Empty(await stores.BlockLists.GetAsync(Alice));
        Assert.Equal([Spammer], await stores.BlockLists.GetAsync(Carol));
    }

    [Fact]
    public async Task VCard_is_stored_replaced_and_read_back()
    {
        var stores = await _db.OpenAsync();
        Assert.Null(await stores.VCards.GetAsync(Alice));

        await stores.VCards.SetAsync(Alice, "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
        await stores.VCards.SetAsync(Alice, "<vCard xmlns='vcard-temp'><FN>Alice A.</FN></vCard>");

        Assert.Equal("<vCard xmlns='vcard-temp'><FN>Alice A.</FN></vCard>", await stores.VCards.GetAsync(Alice));
        Assert.Null(await stores.VCards.GetAsync(Carol));
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteBlockListAndVCardTests() : BlockListAndVCardContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBlockListAndVCardTests(PostgresServer server) : BlockListAndVCardContract(new TempPostgresDatabase(server, nameof(PostgresBlockListAndVCardTests)));
