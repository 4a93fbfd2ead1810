using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>XEP-0313 filters: with, start/end, thread and ids, alone and together, always within one owner's archive.</summary>
public abstract class ArchiveFilterContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveFilterContract(IStoreDatabase db) => _db = db;
    private IArchiveStore _archive = null!;
    private IReadOnlyList<ArchivedMessage> _stored = [];

    public async Task InitializeAsync()
    {
        _archive = (await _db.OpenAsync()).Archive;

        // 0..9 with Bob, 10..19 with Peter; odd ones in thread "t-odd"; 20..24 are Carol's, with Bob.
        _stored = await _archive.AppendAsync(
        [
            .. Enumerable.Range(0, 20).Select(n => Entry(Alice, n < 10 ? Bob : Peter, n, n % 2 == 1 ? "t-odd" : null)),
            .. Enumerable.Range(20, 5).Select(n => Entry(Carol, Bob, n, "t-odd")),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task With_matches_the_bare_jid_even_when_the_query_names_a_resource()
    {
        var bare = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Bob));
        var full = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Bob.WithResource("phone")));

        Assert.Equal(Enumerable.Range(0, 10), Numbers(bare));
        Assert.Equal(Enumerable.Range(0, 10), Numbers(full));
        Assert.All(bare.Messages, m => Assert.Equal(Bob, m.With));
        Assert.Equal(10, bare.Count);
    }

    [Fact]
    public async Task A_message_archived_with_a_full_jid_is_found_by_the_bare_jid()
    {
        await _archive.AppendAsync(Entry(Alice.WithResource("laptop"), Jid.Parse("dave@d.example/desk"), 100));

        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Jid.Parse("dave@d.example")));

        var message = Assert.Single(page.Messages);
        Assert.Equal((Alice, Jid.Parse("dave@d.example")), (message.Owner, message.With));
    }

    [Fact]
    public async Task Start_and_end_are_inclusive()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(3), End: Noon.AddSeconds(6)));
        var from = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(18)));
        var until = await _archive.QueryAsync(new ArchiveQuery(Alice, End: Noon.AddSeconds(1)));

        Assert.Equal([3, 4, 5, 6], Numbers(page));
        Assert.Equal([18, 19], Numbers(from));
        Assert.Equal([0, 1], Numbers(until));
    }

    [Fact]
    public async Task Thread_returns_only_that_conversation()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Thread: "t-odd"));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (2 * i) + 1), Numbers(page));
        Assert.All(page.Messages, m => Assert.Equal("t-odd", m.Thread));
        Assert.Empty((await _archive.QueryAsync(new ArchiveQuery(Alice, Thread: "t-none"))).Messages);
    }

    [Fact]
    public async Task Ids_returns_exactly_the_named_messages_of_this_owner()
    {
        string[] ids = [_stored[7].Id, _stored[2].Id, _stored[22].Id, "garbage", _stored[15].Id];

        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Ids: ids));

        Assert.Equal([2, 7, 15], Numbers(page));
        Assert.Equal(3, page.Count);
    }

    [Fact]
    public async Task An_empty_ids_filter_matches_nothing()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Ids: []));

        Assert.Empty(page.Messages);
        Assert.Equal(0, page.Count);
        Assert.True(page.Complete);
    }

    [Fact]
    public async Task Filters_combine_with_and()
    {
        var query = new ArchiveQuery(Alice, With: Peter, Thread: "t-odd", Start: Noon.AddSeconds(12), End: Noon.AddSeconds(17), Max: 2);

        var first = await _archive.QueryAsync(query);
        var rest = await _archive.QueryAsync(query with { After = first.Messages[^1].Id });

        Assert.Equal([13, 15], Numbers(first));
        Assert.False(first.Complete);
        Assert.Equal([17], Numbers(rest));
        Assert.True(rest.Complete);
        Assert.Equal(3, rest.Count);
    }

    [Fact]
    public async Task An_owner_never_sees_another_owners_messages()
    {
        var alices = await _archive.QueryAsync(new ArchiveQuery(Alice, Max: 100));
        var carols = await _archive.QueryAsync(new ArchiveQuery(Carol, With: Bob, Thread: "t-odd", Max: 100));
        var byId = await _archive.QueryAsync(new ArchiveQuery(Carol, Ids: [_stored[0].Id, _stored[1].Id]));

        Assert.Equal(Enumerable.Range(0, 20), Numbers(alices));
        Assert.Equal(Enumerable.Range(20, 5), Numbers(carols));
        Assert.All(carols.Messages, m => Assert.Equal(Carol, m.Owner));
        Assert.Empty(byId.Messages);
        Assert.Empty((await _archive.QueryAsync(new ArchiveQuery(Bob))).Messages);
    }

    [Fact]
    public async Task The_owner_may_be_given_with_a_resource()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Carol.WithResource("phone")));

        Assert.Equal(Enumerable.Range(20, 5), Numbers(page));
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchiveFilterTests() : ArchiveFilterContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveFilterTests(PostgresServer server) : ArchiveFilterContract(new TempPostgresDatabase(server, nameof(PostgresArchiveFilterTests)));
