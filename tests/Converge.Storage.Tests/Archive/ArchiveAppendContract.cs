using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

public abstract class ArchiveAppendContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveAppendContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_appended_message_comes_back_from_a_query_exactly_as_append_returned_it()
    {
        var archive = (await _db.OpenAsync()).Archive;
        const string Xml = "<message xmlns='jabber:client' to='+4915112345678@a.example' type='chat'><body>Hi &amp; bye</body></message>";
        var at = new DateTimeOffset(2025, 3, 1, 13, 0, 0, 123, TimeSpan.FromHours(1)).AddTicks(4567);

        var stored = await archive.AppendAsync(new ArchiveEntry(Alice.WithResource("phone"), Peter, at, true, "conv-1", Xml));
        var queried = Assert.Single((await archive.QueryAsync(new ArchiveQuery(Alice))).Messages);

        Assert.Equal(stored, queried);
        Assert.Equal((Alice, Peter, true, "conv-1", Xml), (queried.Owner, queried.With, queried.Outgoing, queried.Thread, queried.StanzaXml));

        // Kept to the millisecond: the same instant, whatever offset it was given in.
        Assert.Equal(at.AddTicks(-4567), queried.Timestamp);
    }

    [Fact]
    public async Task Ids_are_unique_and_grow_with_every_append_across_owners()
    {
        var archive = (await _db.OpenAsync()).Archive;

        var ids = new List<string>();
        for (var n = 0; n < 10; n++)
        {
            ids.Add((await archive.AppendAsync(Entry(n % 2 == 0 ? Alice : Carol, Bob, n))).Id);
        }

        ids.AddRange((await archive.AppendAsync([Entry(Alice, Bob, 10), Entry(Bob, Alice, 10)])).Select(m => m.Id));

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(ArchiveId.Length, id.Length));
    }

    [Fact]
    public async Task Ids_are_not_reused_after_the_newest_message_is_deleted()
    {
        var stores = await _db.OpenAsync();
        var first = await stores.Archive.AppendAsync(Entry(Alice, Bob, 1));
        await stores.Archive.DeleteAsync(Alice, null);

        var second = await stores.Archive.AppendAsync(Entry(Alice, Bob, 2));

        Assert.True(string.CompareOrdinal(second.Id, first.Id) > 0);
    }

    [Fact]
    public async Task A_batch_is_stored_in_order_in_one_commit()
    {
        var db = await _db.OpenAsync();
        var before = _db.CommittedBatches(db);

        var stored = await db.Archive.AppendAsync([Entry(Alice, Bob, 1, outgoing: true), Entry(Bob, Alice, 1)]);

        Assert.Equal(1, _db.CommittedBatches(db) - before);
        Assert.Equal([Alice, Bob], stored.Select(m => m.Owner));
        Assert.Equal(stored[0], Assert.Single((await db.Archive.QueryAsync(new ArchiveQuery(Alice))).Messages));
        Assert.Equal(stored[1], Assert.Single((await db.Archive.QueryAsync(new ArchiveQuery(Bob))).Messages));
    }

    [Fact]
    public async Task A_batch_with_one_refused_entry_stores_none_of_them()
    {
        var stores = await _db.OpenAsync();
        await stores.Archive.AppendAsync(Entry(Alice, Bob, 0));

        // Stands in for any failure half-way through the batch (a constraint, a full disk).
        await _db.ScalarAsync(_db.Provider == "Sqlite"
            ? """
              CREATE TRIGGER refuse_poison BEFORE INSERT ON archive_messages WHEN NEW.xml LIKE '%poison%'
              BEGIN SELECT RAISE(ABORT, 'poison'); END
              """
            : """
              CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN IF NEW.xml LIKE '%poison%' THEN RAISE EXCEPTION 'poison'; END IF; RETURN NEW; END $$;
              DROP TRIGGER IF EXISTS refuse_poison ON archive_messages;
              CREATE TRIGGER refuse_poison BEFORE INSERT ON archive_messages FOR EACH ROW EXECUTE FUNCTION refuse_poison();
              """);
        ArchiveEntry[] batch = [Entry(Alice, Bob, 1), Entry(Bob, Alice, 1), Entry(Alice, Bob, 2) with { StanzaXml = "<message>poison</message>" }];

        await Assert.ThrowsAnyAsync<Exception>(() => stores.Archive.AppendAsync(batch));

        Assert.Equal([0], Numbers(await stores.Archive.QueryAsync(new ArchiveQuery(Alice))));
        Assert.Equal(1, (await stores.Archive.QueryAsync(new ArchiveQuery(Alice))).Count);
        Assert.Empty((await stores.Archive.QueryAsync(new ArchiveQuery(Bob))).Messages);
        Assert.Equal(0, (await stores.Archive.QueryAsync(new ArchiveQuery(Bob))).Count);

        await stores.Archive.AppendAsync(Entry(Alice, Bob, 3));
        Assert.Equal([0, 3], Numbers(await stores.Archive.QueryAsync(new ArchiveQuery(Alice))));
    }

    [Fact]
    public async Task Concurrent_appends_are_all_stored()
    {
        var archive = (await _db.OpenAsync()).Archive;

        var stored = await Task.WhenAll(Enumerable.Range(0, 100).Select(n => Task.Run(() => archive.AppendAsync(Entry(Alice, Bob, n)))));

        var page = await archive.QueryAsync(new ArchiveQuery(Alice, Max: 200));
        Assert.Equal(stored.Select(m => m.Id).Order(StringComparer.Ordinal), page.Messages.Select(m => m.Id));
        Assert.Equal(100, page.Count);
    }

    [Fact]
    public async Task An_empty_batch_stores_nothing()
    {
        var archive = (await _db.OpenAsync()).Archive;

        Assert.Empty(await archive.AppendAsync([]));
        Assert.Equal(0, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchiveAppendTests() : ArchiveAppendContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveAppendTests(PostgresServer server) : ArchiveAppendContract(new TempPostgresDatabase(server, nameof(PostgresArchiveAppendTests)));
