using Converge.Storage.Postgres;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Postgres;

/// <summary>Concurrent writes share one round trip and transaction; a write that breaks a rule fails alone.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGroupedCommitTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempPostgresDatabase _db = new(server, nameof(PostgresGroupedCommitTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_stores_succeed_in_order_and_share_a_commit()
    {
        var db = await _db.OpenDatabaseAsync();
        var before = db.Writer.CommittedBatches;

        Task<long>[] stores;
        await using (await ForeignTableLock.TakeAsync(await _db.ConnectionStringAsync(), "offline_messages"))
        {
            stores = [.. Enumerable.Range(0, 200).Select(i => db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))];
        }

        var ids = await Task.WhenAll(stores);

        // The writer may have sent the first write before the rest were queued: at most two commits.
        Assert.InRange(db.Writer.CommittedBatches - before, 1, 2);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(200, ids.Distinct().Count());
        var stored = await db.Offline.PeekAllAsync(Alice, 1000);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"<message id='m{i}'/>"), stored.Select(m => m.StanzaXml));
    }

    [Fact]
    public async Task A_refused_write_fails_alone_and_its_group_neighbours_are_stored()
    {
        var db = await _db.OpenDatabaseAsync();
        await db.Accounts.CreateAsync(Account(Alice, "+4915112345678"));

        Task<long> first, last;
        Task<bool> refused, neighbour;
        await using (await ForeignTableLock.TakeAsync(await _db.ConnectionStringAsync(), "offline_messages"))
        {
            first = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='first'/>");
            refused = db.Accounts.CreateAsync(Account(Carol, "+4915112345678"));
            neighbour = db.Accounts.CreateAsync(Account(Bob));
            last = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='last'/>");
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        Assert.Contains("+4915112345678 already belongs to another account", e.Message, StringComparison.Ordinal);
        await first;
        Assert.True(await neighbour);
        await last;
        Assert.Null(await db.Accounts.FindAsync(Carol));
        Assert.NotNull(await db.Accounts.FindAsync(Bob));
        Assert.Equal(2, await db.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_stored()
    {
        var db = await _db.OpenDatabaseAsync();
        using var cancellation = new CancellationTokenSource();

        Task<long> blocked, cancelled, kept;
        await using (await ForeignTableLock.TakeAsync(await _db.ConnectionStringAsync(), "offline_messages"))
        {
            blocked = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='blocked'/>");

            // The writer is waiting on the lock with the first write; these two queue behind it.
            await WaitUntilAsync(() => db.Writer.QueuedWrites == 0);
            cancelled = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='cancelled'/>", cancellation.Token);
            kept = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='kept'/>");
            await cancellation.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Task.WhenAll(blocked, kept);
        Assert.Equal(["<message id='blocked'/>", "<message id='kept'/>"], (await db.Offline.PeekAllAsync(Alice, 10)).Select(m => m.StanzaXml));
    }

    [Fact]
    public async Task Dispose_stores_everything_already_queued_before_closing()
    {
        var stores = await _db.OpenAsync();

        Task<long>[] queued;
        Task disposing;
        await using (await ForeignTableLock.TakeAsync(await _db.ConnectionStringAsync(), "offline_messages"))
        {
            queued = [.. Enumerable.Range(0, 50).Select(i => stores.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))];
            disposing = stores.DisposeAsync().AsTask();
        }

        await disposing;
        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stores.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<late/>"));

        var reopened = await _db.OpenAsync();
        Assert.Equal(50, await reopened.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task The_writer_reconnects_after_the_server_ended_its_connection()
    {
        var db = await _db.OpenDatabaseAsync();
        await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='before'/>");

        // As an administrator's pg_terminate_backend or a database restart would: the role may end its own sessions.
        await _db.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid()");

        // The first write may meet the dead connection and fail (it is not reported stored); the writer then opens a new one.
        var stored = new List<string> { "<message id='before'/>" };
        for (var attempt = 0; attempt < 3 && stored.Count < 2; attempt++)
        {
            try
            {
                await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='after{attempt}'/>");
                stored.Add($"<message id='after{attempt}'/>");
            }
            catch (InvalidOperationException e)
            {
                Assert.Contains("may not be stored", e.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(stored, (await db.Offline.PeekAllAsync(Alice, 10)).Select(m => m.StanzaXml));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(10);
        }
    }
}
