using Converge.Storage.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>Concurrent writes share one transaction, and one failing write does not take its neighbours down.</summary>
public sealed class GroupedCommitTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_stores_succeed_in_order_and_share_a_commit()
    {
        var db = await _db.OpenDatabaseAsync();
        var before = db.Writer.CommittedBatches;

        Task<long>[] stores;
        using (ForeignWriteLock.Take(db.Path))
        {
            stores = [.. Enumerable.Range(0, 200).Select(i => db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))];
        }

        var ids = await Task.WhenAll(stores);

        // The writer may have taken the first write before the rest were queued: at most two commits.
        Assert.InRange(db.Writer.CommittedBatches - before, 1, 2);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(200, ids.Distinct().Count());
        var stored = await db.Offline.PeekAllAsync(Alice, 1000);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"<message id='m{i}'/>"), stored.Select(m => m.StanzaXml));
    }

    [Fact]
    public async Task Writes_from_many_threads_are_all_stored()
    {
        var stores = await _db.OpenAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => stores.Offline.StoreAsync(i % 2 == 0 ? Alice : Carol, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))));

        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(100, await stores.Offline.CountAsync(Alice));
        Assert.Equal(100, await stores.Offline.CountAsync(Carol));
    }

    [Fact]
    public async Task A_refused_write_fails_alone_and_its_batch_neighbours_are_stored()
    {
        var db = await _db.OpenDatabaseAsync();
        await db.Accounts.CreateAsync(Account(Alice, "+4915112345678"));
        var before = db.Writer.CommittedBatches;

        Task<long> first, last;
        Task<bool> refused, neighbour;
        using (ForeignWriteLock.Take(db.Path))
        {
            first = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='first'/>");
            refused = db.Accounts.CreateAsync(Account(Carol, "+4915112345678"));
            neighbour = db.Accounts.CreateAsync(Account(Bob));
            last = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='last'/>");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        await first;
        Assert.True(await neighbour);
        await last;
        Assert.InRange(db.Writer.CommittedBatches - before, 1, 2);
        Assert.Null(await db.Accounts.FindAsync(Carol));
        Assert.NotNull(await db.Accounts.FindAsync(Bob));
        Assert.Equal(2, await db.Offline.CountAsync(Alice));
    }

    [Fact]
    public async Task A_write_that_fails_half_way_leaves_nothing_behind()
    {
        var db = await _db.OpenDatabaseAsync();

        Task<long> before, after;
        Task<int> failing;
        using (ForeignWriteLock.Take(db.Path))
        {
            before = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='before'/>");
            failing = db.Writer.WriteAsync<int, int>(
                static (s, _) =>
                {
                    s.Command("INSERT INTO offline_messages (owner, stored, xml) VALUES ('alice@a.example', 0, '<half/>')").ExecuteNonQuery();
                    throw new InvalidDataException("fails after writing");
                },
                0,
                CancellationToken.None);
            after = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='after'/>");
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => failing);
        Assert.Equal("fails after writing", e.Message);
        await Task.WhenAll(before, after);
        Assert.Equal(
            ["<message id='before'/>", "<message id='after'/>"],
            (await db.Offline.PeekAllAsync(Alice, 10)).Select(m => m.StanzaXml));
    }

    [Fact]
    public async Task A_caller_that_blocks_in_its_continuation_does_not_hold_up_the_writer()
    {
        // A write's continuations run inline where it is completed: that must never be the writer loop,
        // or one slow caller would stop every later commit (WriteCompletions).
        var db = await _db.OpenDatabaseAsync();
        using var released = new ManualResetEventSlim();
        Task<long> first;
        Task<bool> blocked;
        using (ForeignWriteLock.Take(db.Path))
        {
            first = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='first'/>");
            blocked = first.ContinueWith(_ => released.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // Not awaited: an await would be one more continuation of the same write, queued behind the blocked one.
        var deadline = Environment.TickCount64 + 30_000;
        while (!first.IsCompleted && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(first.IsCompletedSuccessfully);
        var later = await db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='later'/>").WaitAsync(TimeSpan.FromSeconds(20));
        released.Set();

        Assert.True(await blocked, "the later write committed only after the first write's caller let go");
        Assert.True(later > await first);
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_stored()
    {
        var db = await _db.OpenDatabaseAsync();
        using var cancellation = new CancellationTokenSource();

        Task<long> cancelled, kept;
        using (ForeignWriteLock.Take(db.Path))
        {
            cancelled = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='cancelled'/>", cancellation.Token);
            kept = db.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='kept'/>");
            await cancellation.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Equal(["<message id='kept'/>"], (await db.Offline.PeekAllAsync(Alice, 10)).Select(m => m.StanzaXml));
    }

    [Fact]
    public async Task Dispose_stores_everything_already_queued_before_closing()
    {
        var stores = await _db.OpenAsync();

        Task<long>[] queued;
        Task disposing;
        using (ForeignWriteLock.Take(_db.Path))
        {
            queued = [.. Enumerable.Range(0, 50).Select(i => stores.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, $"<message id='m{i}'/>"))];
            disposing = stores.DisposeAsync().AsTask();
        }

        await disposing;
        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stores.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<late/>"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stores.Offline.CountAsync(Alice));

        var reopened = await _db.OpenAsync();
        Assert.Equal(50, await reopened.Offline.CountAsync(Alice));
    }
}
