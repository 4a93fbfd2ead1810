using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Contract;

/// <summary>HTTP upload slots (XEP-0363): what a quota sums, what a PUT may mark, and what expiry finds.</summary>
public abstract class UploadStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly IStoreDatabase _db;

    protected UploadStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static UploadRecord Slot(string slot, string owner, long size, DateTimeOffset created) =>
        new(slot, owner, slot + ".bin", size, "application/octet-stream", created, null);

    [Fact]
    public async Task A_slot_comes_back_after_reopening_and_is_marked_uploaded_only_once()
    {
        var stores = await _db.OpenAsync();
        await stores.Uploads.AddAsync(new UploadRecord("s1", "alice@a.example", "cat ä.jpg", 5_000_000_000, "image/jpeg", Noon, null));

        Assert.True(await stores.Uploads.MarkUploadedAsync("s1", Noon.AddSeconds(3)));
        Assert.False(await stores.Uploads.MarkUploadedAsync("s1", Noon.AddSeconds(9))); // a second PUT must not overwrite
        Assert.False(await stores.Uploads.MarkUploadedAsync("missing", Noon));

        var found = await (await _db.OpenAsync()).Uploads.FindAsync("s1");
        Assert.Equal(new UploadRecord("s1", "alice@a.example", "cat ä.jpg", 5_000_000_000, "image/jpeg", Noon, Noon.AddSeconds(3)), found);
        Assert.Null(await stores.Uploads.FindAsync("s2"));
    }

    [Fact]
    public async Task Bytes_held_count_uploaded_files_and_recent_unused_slots_of_that_owner_only()
    {
        var stores = await _db.OpenAsync();
        await stores.Uploads.AddAsync(Slot("done", "alice@a.example", 100, Noon.AddDays(-10)));
        await stores.Uploads.MarkUploadedAsync("done", Noon.AddDays(-10));
        await stores.Uploads.AddAsync(Slot("pending", "alice@a.example", 20, Noon));
        await stores.Uploads.AddAsync(Slot("stale", "alice@a.example", 3, Noon.AddHours(-2)));
        await stores.Uploads.AddAsync(Slot("bobs", "bob@a.example", 1000, Noon));

        Assert.Equal(120, await stores.Uploads.BytesHeldAsync("alice@a.example", Noon.AddMinutes(-5)));
        Assert.Equal(0, await stores.Uploads.BytesHeldAsync("carol@a.example", Noon.AddMinutes(-5)));
    }

    [Fact]
    public async Task Expiry_finds_old_files_and_unused_slots_at_most_max_and_removed_slots_are_gone()
    {
        var stores = await _db.OpenAsync();
        await stores.Uploads.AddAsync(Slot("old-file", "alice@a.example", 1, Noon.AddDays(-40)));
        await stores.Uploads.MarkUploadedAsync("old-file", Noon.AddDays(-40));
        await stores.Uploads.AddAsync(Slot("new-file", "alice@a.example", 1, Noon.AddDays(-1)));
        await stores.Uploads.MarkUploadedAsync("new-file", Noon.AddDays(-1));
        await stores.Uploads.AddAsync(Slot("unused", "alice@a.example", 1, Noon.AddHours(-2)));
        await stores.Uploads.AddAsync(Slot("fresh", "alice@a.example", 1, Noon));

        Assert.Equal(
            ["old-file", "unused"],
            (await stores.Uploads.ExpiredAsync(Noon.AddDays(-30), Noon.AddHours(-1), 10)).Select(r => r.Slot).Order(StringComparer.Ordinal));
        Assert.Equal(["unused"], (await stores.Uploads.ExpiredAsync(null, Noon.AddHours(-1), 10)).Select(r => r.Slot)); // files never expire
        Assert.Single(await stores.Uploads.ExpiredAsync(Noon.AddDays(-30), Noon.AddHours(-1), 1));

        await stores.Uploads.RemoveAsync("old-file");
        Assert.Null(await stores.Uploads.FindAsync("old-file"));
        Assert.NotNull(await stores.Uploads.FindAsync("new-file"));
    }
}

public sealed class SqliteUploadStoreTests() : UploadStoreContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresUploadStoreTests(PostgresServer server) : UploadStoreContract(new TempPostgresDatabase(server, nameof(PostgresUploadStoreTests)));
