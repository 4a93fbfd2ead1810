using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>The log is copied into the database beside the writer, not by it.</summary>
public sealed class CheckpointerTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() =>
        // The writer's own automatic checkpoint is far away: whatever reaches the database file comes from the background.
        _database = await _db.OpenDatabaseAsync(new SqliteStoreOptions { CheckpointPages = 1_000_000, CheckpointInterval = TimeSpan.FromMilliseconds(20) });

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Committed_writes_reach_the_database_file_without_the_writer_checkpointing()
    {
        var owner = Jid.Parse("alice@example.com");
        for (var i = 0; i < 50; i++)
        {
            await _database.Archive.AppendAsync(new ArchiveEntry(owner, Jid.Parse("bob@example.com"), DateTimeOffset.UtcNow, true, null, $"<message><body>{i}</body></message>"));
        }

        var walPath = _db.Path + "-wal";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long inFile = -1;
        // The counter moves just after the checkpoint it counts: wait for both.
        while ((inFile != 50 || _database.BackgroundCheckpoints == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            inFile = RowsInDatabaseFileAlone();
        }

        Assert.True(File.Exists(walPath), "the log is still in use while the store is open");
        Assert.Equal(50, inFile);
        Assert.True(_database.BackgroundCheckpoints > 0);
    }

    // immutable=1 reads the database file as it is on disk, ignoring the log: rows show up there only
    // once a checkpoint copied them.
    private long RowsInDatabaseFileAlone()
    {
        try
        {
            return Convert.ToInt64(RawSql.Scalar($"file:{_db.Path}?immutable=1", "SELECT COUNT(*) FROM archive_messages"), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return -1; // not even the schema has been copied yet
        }
    }
}
