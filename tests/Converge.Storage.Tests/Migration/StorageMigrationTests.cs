using Converge.Core.Storage;
using Converge.Storage.Migration;
using Converge.Storage.Sqlite.Stores;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Migration.MigrationTestData;

namespace Converge.Storage.Tests.Migration;

/// <summary>
/// storage migrate copies everything SQLite holds into an empty PostgreSQL database and back, with
/// archive ids kept (MAM pages by the same ids), resumes after an interruption, and refuses a target
/// that already holds data.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageMigrationTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempDatabase _sqlite = new();
    private readonly TempDatabase _sqliteAgain = new();
    private readonly TempPostgresDatabase _postgres = new(server, nameof(StorageMigrationTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _sqliteAgain.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Sqlite_to_postgres_and_back_keeps_every_store_and_every_archive_id()
    {
        var original = await PopulatedSqliteSnapshotAsync();
        var postgres = StorageLocation.Postgres(await _postgres.ConnectionStringAsync());

        var there = await StorageMigration.RunAsync(StorageLocation.Sqlite(_sqlite.Path), postgres);
        var back = await StorageMigration.RunAsync(postgres, StorageLocation.Sqlite(_sqliteAgain.Path));

        var onPostgres = await _postgres.OpenAsync();
        Assert.Equal(original, await ProviderSnapshot.TakeAsync(onPostgres));
        Assert.Equal(original, await ProviderSnapshot.TakeAsync(await _sqliteAgain.OpenAsync()));
        Assert.Equal(2 * ArchivedPerOwner, there.Tables.Single(t => t.Table == "archive_messages").Rows);
        Assert.Equal(there.TotalRows, back.TotalRows);

        // origin_key came along: Alice's client sending her first message again is still stored once.
        await onPostgres.Archive.Stage(new ArchiveEntry(Alice, Bob, Noon, true, null, "<message xmlns='jabber:client' id='a0'/>", OriginKey)).Stored;
        Assert.Equal(ArchivedPerOwner, (await onPostgres.Archive.QueryAsync(new ArchiveQuery(Alice))).Count);
    }

    [Fact]
    public async Task A_client_pages_its_archive_on_postgres_with_the_ids_it_got_from_sqlite()
    {
        var sqlite = await _sqlite.OpenAsync();
        await PopulateAsync(sqlite);
        var firstPage = await sqlite.Archive.QueryAsync(new ArchiveQuery(Alice, Max: 10));
        var lastPage = await sqlite.Archive.QueryAsync(new ArchiveQuery(Alice, With: Bob, LastPage: true, Max: 5));
        var highestSqliteId = ArchiveIdValue((await sqlite.Archive.QueryAsync(new ArchiveQuery(Bob, LastPage: true, Max: 1))).Messages[0].Id);
        await sqlite.DisposeAsync();

        await StorageMigration.RunAsync(StorageLocation.Sqlite(_sqlite.Path), StorageLocation.Postgres(await _postgres.ConnectionStringAsync()));
        var archive = (await _postgres.OpenAsync()).Archive;

        var next = await archive.QueryAsync(new ArchiveQuery(Alice, After: firstPage.Messages[^1].Id, Max: 10));
        var before = await archive.QueryAsync(new ArchiveQuery(Alice, With: Bob, Before: lastPage.Messages[0].Id, Max: 5));
        Assert.Equal(Enumerable.Range(10, 10).Select(n => $"<message xmlns='jabber:client' id='a{n}'><body>{n}</body></message>"), next.Messages.Select(m => m.StanzaXml));
        Assert.Equal(ArchivedPerOwner, next.Count);
        Assert.Equal(Enumerable.Range(ArchivedPerOwner - 10, 5).Select(n => $"a{n}'"), before.Messages.Select(m => m.StanzaXml.Split("id='")[1].Split('>')[0]));

        // The id of the deleted newest message (the highest SQLite handed out) is not handed out again.
        var appended = await archive.AppendAsync(new ArchiveEntry(Alice, Bob, Noon.AddDays(1), true, null, "<message xmlns='jabber:client'><body>new</body></message>"));
        Assert.True(ArchiveIdValue(appended.Id) > highestSqliteId + 1);
    }

    [Fact]
    public async Task An_interrupted_migration_resumes_where_its_data_ends()
    {
        var original = await PopulatedSqliteSnapshotAsync();
        var postgres = StorageLocation.Postgres(await _postgres.ConnectionStringAsync());
        using var stop = new CancellationTokenSource();
        var interrupting = new Progress(p =>
        {
            if (p.Table == "archive_messages" && p.Copied >= 21)
            {
                stop.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StorageMigration.RunAsync(StorageLocation.Sqlite(_sqlite.Path), postgres, interrupting, stop.Token, chunkRows: 7));
        var partial = Convert.ToInt64(await _postgres.ScalarAsync("SELECT count(*) FROM archive_messages"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(partial, 21, 2 * ArchivedPerOwner - 1);
        Assert.Equal(partial, await _postgres.ScalarAsync("SELECT rows_copied FROM storage_migration_progress WHERE table_name = 'archive_messages'"));

        var resumed = await StorageMigration.RunAsync(StorageLocation.Sqlite(_sqlite.Path), postgres, chunkRows: 7);

        var archiveRun = resumed.Tables.Single(t => t.Table == "archive_messages");
        Assert.Equal((2L * ArchivedPerOwner, 2L * ArchivedPerOwner - partial), (archiveRun.Rows, archiveRun.CopiedNow));
        Assert.Equal(0, resumed.Tables.Single(t => t.Table == "accounts").CopiedNow);
        Assert.Equal(original, await ProviderSnapshot.TakeAsync(await _postgres.OpenAsync()));
    }

    [Fact]
    public async Task A_target_that_already_holds_data_is_refused_and_left_alone()
    {
        await PopulatedSqliteSnapshotAsync();
        var target = await _postgres.OpenAsync();
        await target.Accounts.CreateAsync(TestData.Account(TestData.Carol));

        var e = await Assert.ThrowsAsync<MigrationRefusedException>(() =>
            StorageMigration.RunAsync(StorageLocation.Sqlite(_sqlite.Path), StorageLocation.Postgres(_postgres.ConnectionStringAsync().Result)));

        Assert.Contains("is not empty (table accounts holds 1 rows)", e.Message, StringComparison.Ordinal);
        Assert.Single(await target.Accounts.ListAsync());
    }

    private async Task<List<string>> PopulatedSqliteSnapshotAsync()
    {
        var sqlite = await _sqlite.OpenAsync();
        await PopulateAsync(sqlite);
        var snapshot = await ProviderSnapshot.TakeAsync(sqlite);
        await sqlite.DisposeAsync();
        return snapshot;
    }

    private static long ArchiveIdValue(string id) => ArchiveId.TryParse(id, out var value) ? value : throw new FormatException(id);

    private sealed class Progress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
