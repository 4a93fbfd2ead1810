using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

public abstract class RosterStoreContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected RosterStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public static TheoryData<SubscriptionState> AllStates => new(Enum.GetValues<SubscriptionState>());

    [Fact]
    public async Task An_empty_roster_has_version_zero()
    {
        var stores = await _db.OpenAsync();

        var (items, version) = await stores.Rosters.GetAsync(Alice);

        Assert.Empty(items);
        Assert.Equal(0, version);
    }

    [Fact]
    public async Task Stored_item_comes_back_with_every_field()
    {
        var stores = await _db.OpenAsync();
        var item = new RosterItem(Bob, "Bob B.", ["Friends", "Work \"B\" – ü"], SubscriptionState.FromPendingOut, Approved: true, InRoster: false);

        await stores.Rosters.SetItemAsync(Alice, item);

        var stored = await stores.Rosters.GetItemAsync(Alice, Bob);
        Assert.NotNull(stored);
        Assert.Equal(item.Contact, stored.Contact);
        Assert.Equal(item.Name, stored.Name);
        Assert.Equal(item.Groups, stored.Groups);
        Assert.Equal(item.State, stored.State);
        Assert.True(stored.Approved);
        Assert.False(stored.InRoster);
        Assert.Null(await stores.Rosters.GetItemAsync(Alice, Carol));
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public async Task Every_subscription_state_round_trips(SubscriptionState state)
    {
        var stores = await _db.OpenAsync();

        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], state));

        var stored = await stores.Rosters.GetItemAsync(Alice, Bob);
        Assert.Equal(state, stored?.State);
        Assert.Empty(stored!.Groups);
        Assert.Null(stored.Name);
    }

    [Fact]
    public async Task Every_set_and_remove_increases_the_version()
    {
        var stores = await _db.OpenAsync();
        var versions = new List<long>
        {
            await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.NonePendingOut)),
            await stores.Rosters.SetItemAsync(Alice, new RosterItem(Carol, null, [], SubscriptionState.None)),
            await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.To)),
            await stores.Rosters.RemoveItemAsync(Alice, Carol),
        };

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        var (items, version) = await stores.Rosters.GetAsync(Alice);
        Assert.Equal(versions[^1], version);
        var only = Assert.Single(items);
        Assert.Equal(SubscriptionState.To, only.State);
    }

    [Fact]
    public async Task Removing_an_absent_item_keeps_the_version()
    {
        var stores = await _db.OpenAsync();
        var version = await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.Both));

        Assert.Equal(version, await stores.Rosters.RemoveItemAsync(Alice, Carol));
        Assert.Equal(0, await stores.Rosters.RemoveItemAsync(Carol, Alice));
    }

    [Fact]
    public async Task Versions_are_kept_per_owner()
    {
        var stores = await _db.OpenAsync();
        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.Both));
        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Carol, null, [], SubscriptionState.Both));

        Assert.Equal(1, await stores.Rosters.SetItemAsync(Carol, new RosterItem(Alice, null, [], SubscriptionState.Both)));
        Assert.Equal(2, (await stores.Rosters.GetAsync(Alice)).Version);
    }

    [Fact]
    public async Task Version_keeps_growing_after_reopening()
    {
        var first = await _db.OpenAsync();
        var before = await first.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.Both));
        await first.DisposeAsync();

        var reopened = await _db.OpenAsync();
        Assert.Equal(before, (await reopened.Rosters.GetAsync(Alice)).Version);
        Assert.True(await reopened.Rosters.SetItemAsync(Alice, new RosterItem(Carol, null, [], SubscriptionState.To)) > before);
    }

    [Fact]
    public async Task Owners_of_a_contact_are_everyone_whose_roster_holds_it()
    {
        var stores = await _db.OpenAsync();
        var dave = Jid.Parse("dave@c.example");
        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, null, [], SubscriptionState.Both));
        await stores.Rosters.SetItemAsync(Carol, new RosterItem(Bob, null, [], SubscriptionState.NonePendingIn, InRoster: false));
        await stores.Rosters.SetItemAsync(Carol, new RosterItem(dave, null, [], SubscriptionState.Both));

        Assert.Equal([Alice, Carol], await stores.Rosters.OwnersOfContactAsync(Bob));
        Assert.Empty(await stores.Rosters.OwnersOfContactAsync(Jid.Parse("nobody@c.example")));
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteRosterStoreTests() : RosterStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRosterStoreTests(PostgresServer server) : RosterStoreContract(new TempPostgresDatabase(server, nameof(PostgresRosterStoreTests)));
