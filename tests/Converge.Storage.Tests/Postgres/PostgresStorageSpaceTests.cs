using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Postgres;

/// <summary>
/// PostgreSQL's disk_full (SQLSTATE 53100) marks the store full and fails the whole group; the store is
/// tried again by itself shortly after. The error is raised by a trigger with that very SQLSTATE, as
/// the server raises it when a table file cannot be extended: the server's disk is not this process's
/// to fill.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageSpaceTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempPostgresDatabase _db = new(server, nameof(PostgresStorageSpaceTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Disk_full_marks_the_store_full_fails_the_group_and_clears_by_itself_when_writes_work_again()
    {
        var db = await _db.OpenDatabaseAsync();
        await _db.ScalarAsync("""
            CREATE FUNCTION pretend_disk_full() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
            CREATE TRIGGER disk_full BEFORE INSERT ON offline_messages FOR EACH ROW EXECUTE FUNCTION pretend_disk_full();
            """);

        var failures = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
            await Record.ExceptionAsync(() => db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))));

        Assert.All(failures, Assert.NotNull);
        Assert.True(db.Space.IsFull, failures[0]!.ToString());
        Assert.Contains("disk_full", db.Space.Reason, StringComparison.Ordinal);

        await _db.ScalarAsync("DROP TRIGGER disk_full ON offline_messages");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (db.Space.IsFull)
        {
            Assert.True(DateTime.UtcNow < deadline, "the store did not clear by itself");
            await Task.Delay(50);
        }

        await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='after'/>");
        Assert.Equal(["<message id='after'/>"], (await db.Offline.PeekAllAsync(Alice, 10)).Select(m => m.StanzaXml));
    }
}
