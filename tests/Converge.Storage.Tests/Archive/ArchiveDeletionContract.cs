using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>A user's delete and the operator's retention prune, including ones larger than a delete chunk.</summary>
public abstract class ArchiveDeletionContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveDeletionContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Delete_without_a_date_removes_all_of_the_owners_messages_and_nobody_elses()
    {
        var archive = (await _db.OpenAsync()).Archive;
        var many = (SqliteArchiveStore.DeleteChunk * 2) + 5;
        await archive.AppendAsync([.. Enumerable.Range(0, many).Select(n => Entry(Alice, Bob, n))]);
        await archive.AppendAsync([Entry(Carol, Bob, 0), Entry(Bob, Alice, 0)]);

        var deleted = await archive.DeleteAsync(Alice, null);

        Assert.Equal(many, deleted);
        var page = await archive.QueryAsync(new ArchiveQuery(Alice));
        Assert.Empty(page.Messages);
        Assert.Equal(0, page.Count);
        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Carol))).Count);
        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Bob))).Count);
    }

    [Fact]
    public async Task Delete_before_a_date_removes_only_older_messages()
    {
        var archive = (await _db.OpenAsync()).Archive;
        await archive.AppendAsync([.. Enumerable.Range(0, 10).Select(n => Entry(Alice, Bob, n)), Entry(Carol, Bob, 0)]);

        var deleted = await archive.DeleteAsync(Alice, Noon.AddSeconds(4));

        Assert.Equal(4, deleted);
        var page = await archive.QueryAsync(new ArchiveQuery(Alice));
        Assert.Equal(Enumerable.Range(4, 6), Numbers(page));
        Assert.Equal(6, page.Count);
        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Carol))).Count);
    }

    [Fact]
    public async Task Prune_removes_every_owners_old_messages_and_keeps_the_recent_ones()
    {
        var archive = (await _db.OpenAsync()).Archive;
        var old = SqliteArchiveStore.DeleteChunk + 10;
        await archive.AppendAsync(
        [
            .. Enumerable.Range(0, old).Select(n => Entry(n % 3 == 0 ? Carol : Alice, Bob, n - old)),
            .. Enumerable.Range(0, 5).Select(n => Entry(Alice, Bob, n)),
            Entry(Peter, Alice, -1),
            Entry(Carol, Alice, 3),
        ]);

        var pruned = await archive.PruneAsync(Noon);

        Assert.Equal(old + 1, pruned);
        Assert.Equal(Enumerable.Range(0, 5), Numbers(await archive.QueryAsync(new ArchiveQuery(Alice))));
        Assert.Equal([3], Numbers(await archive.QueryAsync(new ArchiveQuery(Carol))));
        Assert.Equal(0, (await archive.QueryAsync(new ArchiveQuery(Peter))).Count);
        Assert.Equal(5, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
        Assert.Equal(0, await archive.PruneAsync(Noon));
    }

    [Fact]
    public async Task Counts_stay_right_when_rows_are_deleted_outside_the_store()
    {
        var archive = (await _db.OpenAsync()).Archive;
        await archive.AppendAsync([.. Enumerable.Range(0, 6).Select(n => Entry(Alice, Bob, n))]);

        await _db.ScalarAsync("DELETE FROM archive_messages WHERE stamp < (SELECT MAX(stamp) FROM archive_messages)");

        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchiveDeletionTests() : ArchiveDeletionContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveDeletionTests(PostgresServer server) : ArchiveDeletionContract(new TempPostgresDatabase(server, nameof(PostgresArchiveDeletionTests)));
