using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

public abstract class AccountStoreContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected AccountStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Created_account_is_found_with_its_fields_and_credentials()
    {
        var stores = await _db.OpenAsync();
        var alice = Account(Alice, "+4915112345678", "alice@mail.example") with { RoamingCpm = false };

        Assert.True(await stores.Accounts.CreateAsync(alice));

        AccountAssert.Same(alice, await stores.Accounts.FindAsync(Alice));
        Assert.Null(await stores.Accounts.FindAsync(Bob));
    }

    [Fact]
    public async Task Find_by_full_jid_finds_the_bare_account()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice));

        AccountAssert.Same(Account(Alice), await stores.Accounts.FindAsync(Alice.WithResource("phone")));
    }

    [Fact]
    public async Task Creating_an_existing_account_returns_false_and_keeps_the_first()
    {
        var stores = await _db.OpenAsync();
        var first = Account(Alice, "+4915112345678", seed: 1);
        await stores.Accounts.CreateAsync(first);

        Assert.False(await stores.Accounts.CreateAsync(Account(Alice, "+4915112345678", "other@mail.example", seed: 2)));

        AccountAssert.Same(first, await stores.Accounts.FindAsync(Alice));
    }

    [Fact]
    public async Task Update_replaces_fields_and_credentials()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice, "+4915112345678", seed: 1));
        var changed = Account(Alice, "+4915199999999", "alice@mail.example", seed: 7) with
        {
            CpmEnabled = false,
            Credentials = [Account(Alice, seed: 7).Credentials[1]],
        };

        Assert.True(await stores.Accounts.UpdateAsync(changed));

        AccountAssert.Same(changed, await stores.Accounts.FindAsync(Alice));
        Assert.Null(await stores.Accounts.FindByMsisdnAsync("+4915112345678"));
    }

    [Fact]
    public async Task A_lock_is_stored_read_back_everywhere_and_lifted_again()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice, "+4915112345678") with { Locked = true });
        await stores.Accounts.CreateAsync(Account(Carol));
        var counter = await stores.Accounts.GetChangeCounterAsync();

        Assert.True((await stores.Accounts.FindAsync(Alice))!.Locked);
        Assert.True((await stores.Accounts.FindByMsisdnAsync("+4915112345678"))!.Locked);
        Assert.False((await stores.Accounts.FindAsync(Carol))!.Locked);

        Assert.True(await stores.Accounts.UpdateAsync(Account(Alice, "+4915112345678") with { Locked = false }));
        Assert.True(await stores.Accounts.UpdateAsync(Account(Carol) with { Locked = true }));

        var reopened = await _db.OpenAsync();
        Assert.Equal([(Alice, false), (Carol, true)], (await reopened.Accounts.ListAsync()).Select(a => (a.Jid, a.Locked)));
        Assert.Equal(
            [(Alice, false), (Carol, true)],
            (await reopened.Accounts.ChangesSinceAsync(counter)).Select(c => (c.Jid, c.Account!.Locked)).OrderBy(c => c.Jid.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_of_a_missing_account_returns_false_and_creates_nothing()
    {
        var stores = await _db.OpenAsync();

        Assert.False(await stores.Accounts.UpdateAsync(Account(Alice)));

        Assert.Null(await stores.Accounts.FindAsync(Alice));
    }

    [Fact]
    public async Task Account_is_found_by_its_msisdn()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice, "+4915112345678"));
        await stores.Accounts.CreateAsync(Account(Carol, "+4915187654321"));

        AccountAssert.Same(Account(Carol, "+4915187654321"), await stores.Accounts.FindByMsisdnAsync("+4915187654321"));
        Assert.Null(await stores.Accounts.FindByMsisdnAsync("+4915100000000"));
    }

    [Fact]
    public async Task An_msisdn_already_taken_by_another_account_is_refused()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice, "+4915112345678"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => stores.Accounts.CreateAsync(Account(Carol, "+4915112345678")));

        Assert.Contains("+4915112345678", e.Message, StringComparison.Ordinal);
        Assert.Null(await stores.Accounts.FindAsync(Carol));
    }

    [Fact]
    public async Task List_returns_every_account()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Carol));
        await stores.Accounts.CreateAsync(Account(Alice));

        var all = await stores.Accounts.ListAsync();

        Assert.Equal([Alice, Carol], all.Select(a => a.Jid));
        AccountAssert.Same(Account(Alice), all[0]);
    }

    [Fact]
    public async Task Removing_an_account_removes_everything_stored_for_the_user_and_nothing_of_others()
    {
        var stores = await _db.OpenAsync();
        foreach (var user in new[] { Alice, Carol })
        {
            await stores.Accounts.CreateAsync(Account(user, user == Alice ? "+4915112345678" : null));
            await stores.Rosters.SetItemAsync(user, new RosterItem(Bob, "Bob", ["Friends"], SubscriptionState.Both));
            await stores.Offline.StoreAsync(user, DateTimeOffset.UnixEpoch, "<message/>");
            await stores.BlockLists.AddAsync(user, [Jid.Parse("spam.example")]);
            await stores.VCards.SetAsync(user, "<vCard xmlns='vcard-temp'/>");
            await stores.Pep.SaveNodeAsync(user, new PepNodeRow("urn:xmpp:nick", "presence", true, 1, []));
            await stores.Pep.SaveItemAsync(user, "urn:xmpp:nick", new PepItemRow("current", 1, "<nick xmlns='http://jabber.org/protocol/nick'/>"), 1);
            await stores.PrivateXml.SetAsync(user, "storage", "storage:bookmarks", "<storage xmlns='storage:bookmarks'/>");
        }

        Assert.True(await stores.Accounts.RemoveAsync(Alice));

        Assert.Null(await stores.Accounts.FindAsync(Alice));
        Assert.Null(await stores.Accounts.FindByMsisdnAsync("+4915112345678"));
        Assert.Equal((0, 0L), await RosterShape(stores, Alice));
        Assert.Equal(0, await stores.Offline.CountAsync(Alice));
        Assert.Empty(await stores.BlockLists.GetAsync(Alice));
        Assert.Null(await stores.VCards.GetAsync(Alice));
        Assert.Empty(await stores.Pep.LoadAsync(Alice));
        Assert.Null(await stores.PrivateXml.GetAsync(Alice, "storage", "storage:bookmarks"));
        Assert.Equal([Carol], await stores.Rosters.OwnersOfContactAsync(Bob));

        Assert.NotNull(await stores.Accounts.FindAsync(Carol));
        Assert.Equal((1, 1L), await RosterShape(stores, Carol));
        Assert.Equal(1, await stores.Offline.CountAsync(Carol));
        Assert.Single(await stores.BlockLists.GetAsync(Carol));
        Assert.NotNull(await stores.VCards.GetAsync(Carol));
        Assert.Single(Assert.Single(await stores.Pep.LoadAsync(Carol)).Items);
        Assert.NotNull(await stores.PrivateXml.GetAsync(Carol, "storage", "storage:bookmarks"));
    }

    [Fact]
    public async Task Removing_a_missing_account_returns_false()
    {
        var stores = await _db.OpenAsync();

        Assert.False(await stores.Accounts.RemoveAsync(Alice));
    }

    [Fact]
    public async Task Credentials_of_a_removed_account_do_not_come_back_when_it_is_created_again()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(Account(Alice, seed: 1));
        await stores.Accounts.RemoveAsync(Alice);
        var again = Account(Alice, seed: 9) with { Credentials = [Account(Alice, seed: 9).Credentials[0]] };

        Assert.True(await stores.Accounts.CreateAsync(again));

        AccountAssert.Same(again, await stores.Accounts.FindAsync(Alice));
    }

    private static async Task<(int Count, long Version)> RosterShape(Core.Storage.IStores stores, Jid owner)
    {
        var (items, version) = await stores.Rosters.GetAsync(owner);
        return (items.Count, version);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteAccountStoreTests() : AccountStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountStoreTests(PostgresServer server) : AccountStoreContract(new TempPostgresDatabase(server, nameof(PostgresAccountStoreTests)));
