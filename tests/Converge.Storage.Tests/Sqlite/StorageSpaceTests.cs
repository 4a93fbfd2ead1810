using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>
/// Disk full as SQLite reports it (SQLITE_FULL, here made by PRAGMA max_page_count, which fails a write
/// exactly as a full disk does): the store counts as full, and clears by itself when there is room.
/// </summary>
public sealed class StorageSpaceTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_write_that_fails_with_sqlite_full_marks_the_store_full_and_room_clears_it_again()
    {
        var db = await _db.OpenDatabaseAsync(new SqliteStoreOptions { MinFreeBytes = 0 });
        var changes = new List<bool>();
        db.Space.Changed += (full, _) => { lock (changes) { changes.Add(full); } };
        var pages = await db.Writer.WriteAsync(static (s, _) => Convert.ToInt64(s.Command("PRAGMA page_count").ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), 0, CancellationToken.None);
        await SetMaxPagesAsync(db, pages + 2);

        var big = new string('x', 64 * 1024);
        var failed = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'><body>{big}</body></message>");
            }
        });

        Assert.True(db.Space.IsFull, $"the store should count as full after: {failed}");
        Assert.Contains("SQLITE_FULL", db.Space.Reason, StringComparison.Ordinal);

        // Room again: the monitor (free space over the floor of 0) clears it after its retry interval.
        await SetMaxPagesAsync(db, 1_000_000);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (db.Space.IsFull)
        {
            Assert.True(DateTime.UtcNow < deadline, "the store did not clear by itself");
            await Task.Delay(50);
        }

        await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='after'><body>room again</body></message>");
        lock (changes)
        {
            Assert.Equal([true, false], changes);
        }
    }

    [Fact]
    public async Task Free_space_under_the_floor_marks_the_store_full_before_any_write_fails()
    {
        var db = await _db.OpenDatabaseAsync(new SqliteStoreOptions { MinFreeBytes = long.MaxValue });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!db.Space.IsFull)
        {
            Assert.True(DateTime.UtcNow < deadline, "the floor was not noticed");
            await Task.Delay(50);
        }

        Assert.Contains("MinFreeBytes", db.Space.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reporting_full_twice_raises_one_change_and_room_once_more()
    {
        var space = new StorageSpace();
        var changes = new List<bool>();
        space.Changed += (full, _) => changes.Add(full);

        space.ReportFull("a");
        space.ReportFull("b");
        space.ReportRoom();
        space.ReportRoom();

        Assert.Equal([true, false], changes);
        Assert.False(space.IsFull);
    }

    private static Task SetMaxPagesAsync(SqliteDatabase db, long pages) =>
        db.Writer.WriteAsync(static (s, n) => s.Command($"PRAGMA max_page_count = {n}").ExecuteScalar(), pages, CancellationToken.None);
}
