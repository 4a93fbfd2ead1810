using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

/// <summary>The server learns of accounts the CLI changed through the counter kept in the shared file.</summary>
public abstract class AccountChangeCounterContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected AccountChangeCounterContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Counter_starts_at_zero_and_grows_with_every_create_update_and_remove()
    {
        var stores = await _db.OpenAsync();
        Assert.Equal(0, await stores.Accounts.GetChangeCounterAsync());

        await stores.Accounts.CreateAsync(Account(Alice));
        var afterCreate = await stores.Accounts.GetChangeCounterAsync();
        await stores.Accounts.UpdateAsync(Account(Alice, "+4915112345678"));
        var afterUpdate = await stores.Accounts.GetChangeCounterAsync();
        await stores.Accounts.RemoveAsync(Alice);
        var afterRemove = await stores.Accounts.GetChangeCounterAsync();

        Assert.True(afterCreate > 0);
        Assert.True(afterUpdate > afterCreate);
        Assert.True(afterRemove > afterUpdate);
    }

    [Fact]
    public async Task Writes_that_change_no_account_leave_the_counter_alone()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice));
        var before = await stores.Accounts.GetChangeCounterAsync();

        await stores.Accounts.CreateAsync(Account(Alice));
        await stores.Accounts.UpdateAsync(Account(Carol));
        await stores.Accounts.RemoveAsync(Carol);

        Assert.Equal(before, await stores.Accounts.GetChangeCounterAsync());
        Assert.Empty(await stores.Accounts.ChangesSinceAsync(before));
    }

    [Fact]
    public async Task Changes_made_through_another_instance_on_the_same_file_are_seen()
    {
        var server = await _db.OpenAsync();
        var cli = await _db.OpenAsync();
        await server.Accounts.CreateAsync(Account(Carol));
        var seen = await server.Accounts.GetChangeCounterAsync();

        await cli.Accounts.CreateAsync(Account(Alice, "+4915112345678"));
        await cli.Accounts.UpdateAsync(Account(Alice, "+4915199999999"));
        await cli.Accounts.CreateAsync(Account(Bob));

        Assert.True(await server.Accounts.GetChangeCounterAsync() > seen);
        var changes = await server.Accounts.ChangesSinceAsync(seen);
        Assert.Equal([Alice, Bob], changes.Select(c => c.Jid).Order(JidOrder.Instance));
        AccountAssert.Same(Account(Alice, "+4915199999999"), changes.Single(c => c.Jid == Alice).Account);
        AccountAssert.Same(Account(Alice, "+4915199999999"), await server.Accounts.FindByMsisdnAsync("+4915199999999"));
    }

    [Fact]
    public async Task A_removal_in_another_instance_is_seen_as_a_change_without_account()
    {
        var server = await _db.OpenAsync();
        var cli = await _db.OpenAsync();
        await server.Accounts.CreateAsync(Account(Alice));
        var seen = await server.Accounts.GetChangeCounterAsync();

        await cli.Accounts.RemoveAsync(Alice);

        var change = Assert.Single(await server.Accounts.ChangesSinceAsync(seen));
        Assert.Equal(Alice, change.Jid);
        Assert.Null(change.Account);
    }

    [Fact]
    public async Task Changes_since_the_current_counter_are_none()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice));

        Assert.Empty(await stores.Accounts.ChangesSinceAsync(await stores.Accounts.GetChangeCounterAsync()));
        Assert.Single(await stores.Accounts.ChangesSinceAsync(0));
    }

    private sealed class JidOrder : IComparer<Core.Addressing.Jid>
    {
        public static JidOrder Instance { get; } = new();

        public int Compare(Core.Addressing.Jid? x, Core.Addressing.Jid? y) =>
            string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteAccountChangeCounterTests() : AccountChangeCounterContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountChangeCounterTests(PostgresServer server) : AccountChangeCounterContract(new TempPostgresDatabase(server, nameof(PostgresAccountChangeCounterTests)));
