using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>
/// Archive ids handed out before the commit (so a delivered message carries the stanza-id its row
/// will have), and the origin-id de-duplication that makes a client's resend after a crash harmless.
/// </summary>
public abstract class ArchiveStagingContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveStagingContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_staged_message_has_its_id_at_once_and_the_stored_row_has_that_id()
    {
        var archive = (await _db.OpenAsync()).Archive;

        var staged = archive.Stage(Entry(Alice, Bob, 1));
        var id = staged.Message.Id; // known before the commit
        await staged.Stored;

        var page = await archive.QueryAsync(new ArchiveQuery(Alice));
        Assert.Equal([id], page.Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task Staged_and_appended_messages_get_distinct_growing_ids_in_staging_order()
    {
        var archive = (await _db.OpenAsync()).Archive;

        var first = archive.Stage(Entry(Alice, Bob, 1));
        var appended = archive.AppendAsync([Entry(Alice, Bob, 2), Entry(Alice, Bob, 3)]);
        var last = archive.Stage(Entry(Alice, Bob, 4));
        await Task.WhenAll(first.Stored, appended, last.Stored);

        var ids = new[] { first.Message.Id }.Concat((await appended).Select(m => m.Id)).Append(last.Message.Id).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal([1, 2, 3, 4], Numbers(await archive.QueryAsync(new ArchiveQuery(Alice))));
    }

    [Fact]
    public async Task Ids_are_never_reused_after_a_restart_even_when_the_newest_rows_were_deleted()
    {
        var stores = await _db.OpenAsync();
        var before = (await stores.Archive.AppendAsync([Entry(Alice, Bob, 1), Entry(Alice, Bob, 2)]))[^1].Id;
        await stores.Archive.DeleteAsync(Alice, null);
        await stores.DisposeAsync();

        var reopened = (await _db.OpenAsync()).Archive;
        var after = reopened.Stage(Entry(Alice, Bob, 3));
        await after.Stored;

        Assert.True(string.CompareOrdinal(after.Message.Id, before) > 0, $"id {after.Message.Id} after a restart should be above {before}");
    }

    [Fact]
    public async Task Another_writer_taking_ids_from_the_database_never_reuses_a_staged_id()
    {
        // storage migrate, an operator's INSERT or an older Converge take ids from the table's own
        // sequence (PostgreSQL identity, SQLite AUTOINCREMENT): it must stay ahead of the explicit ids.
        var archive = (await _db.OpenAsync()).Archive;
        var staged = await archive.AppendAsync([Entry(Alice, Bob, 1), Entry(Alice, Bob, 2), Entry(Alice, Bob, 3)]);
        ArchiveId.TryParse(staged[^1].Id, out var highest);

        var foreign = Convert.ToInt64(
            await _db.ScalarAsync("INSERT INTO archive_messages (owner, with_jid, stamp, outgoing, thread, xml) VALUES ('x@a.example', 'y@a.example', 0, false, NULL, '<message/>') RETURNING id"),
            System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(foreign > highest, $"the database handed out id {foreign}, not above the staged {highest}");
    }

    [Fact]
    public async Task A_message_sent_again_with_the_same_origin_id_is_stored_once()
    {
        var archive = (await _db.OpenAsync()).Archive;
        var original = Entry(Alice, Bob, 1) with { OriginKey = "o:abc" };

        await archive.Stage(original).Stored;
        await archive.Stage(original with { Timestamp = Noon.AddDays(3) }).Stored; // days later: origin-ids are unique for good

        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }

    [Fact]
    public async Task The_same_origin_id_in_another_archive_direction_or_conversation_is_stored()
    {
        var archive = (await _db.OpenAsync()).Archive;
        var original = Entry(Alice, Bob, 1) with { OriginKey = "o:abc" };

        await Task.WhenAll(
            archive.Stage(original).Stored,
            archive.Stage(original with { Owner = Bob, With = Alice }).Stored,
            archive.Stage(original with { Outgoing = true }).Stored,
            archive.Stage(original with { With = Carol }).Stored,
            archive.Stage(original with { OriginKey = "o:abd" }).Stored);

        Assert.Equal(4, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
        Assert.Equal(1, (await archive.QueryAsync(new ArchiveQuery(Bob))).Count);
    }

    [Fact]
    public async Task A_stanza_id_key_deduplicates_within_the_hour_only()
    {
        var archive = (await _db.OpenAsync()).Archive;
        var original = Entry(Alice, Bob, 1) with { OriginKey = "i:m1" };

        await archive.Stage(original).Stored;
        await archive.Stage(original with { Timestamp = Noon.AddMinutes(30) }).Stored; // a resend: dropped
        await archive.Stage(original with { Timestamp = Noon.AddHours(3) }).Stored; // a new session's counter: kept

        Assert.Equal(2, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }

    [Fact]
    public async Task Messages_without_a_key_are_never_deduplicated()
    {
        var archive = (await _db.OpenAsync()).Archive;

        await archive.Stage(Entry(Alice, Bob, 1)).Stored;
        await archive.Stage(Entry(Alice, Bob, 1)).Stored;

        Assert.Equal(2, (await archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }
}

public sealed class SqliteArchiveStagingTests() : ArchiveStagingContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveStagingTests(PostgresServer server) : ArchiveStagingContract(new TempPostgresDatabase(server, nameof(PostgresArchiveStagingTests)));
