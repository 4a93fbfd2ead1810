using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>
/// start/end give the same answers whether the owner's stamps grew with every append (answered through
/// id bounds) or a clock stepped back once (answered by comparing stamps).
/// </summary>
public abstract class ArchiveTimeRangeContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveTimeRangeContract(IStoreDatabase db) => _db = db;
    private IArchiveStore _archive = null!;

    public async Task InitializeAsync() => _archive = (await _db.OpenAsync()).Archive;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Messages_with_equal_stamps_are_all_inside_a_range_that_touches_them()
    {
        await _archive.AppendAsync([Entry(Alice, Bob, 1), Entry(Alice, Bob, 2), Entry(Alice, Bob, 2), Entry(Alice, Bob, 2), Entry(Alice, Bob, 3)]);

        var from = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(2), Max: 2));
        var until = await _archive.QueryAsync(new ArchiveQuery(Alice, End: Noon.AddSeconds(2)));

        Assert.Equal([2, 2], Numbers(from));
        Assert.Equal((false, 4), (from.Complete, from.Count));
        Assert.Equal([1, 2, 2, 2], Numbers(until));
        await AssertStampsInOrderAsync(1L);
    }

    [Fact]
    public async Task A_range_with_no_message_inside_is_empty_and_complete()
    {
        await _archive.AppendAsync([Entry(Alice, Bob, 1), Entry(Alice, Bob, 5)]);

        foreach (var query in new[]
        {
            new ArchiveQuery(Alice, Start: Noon.AddSeconds(6)),
            new ArchiveQuery(Alice, End: Noon),
            new ArchiveQuery(Alice, Start: Noon.AddSeconds(2), End: Noon.AddSeconds(4)),
            new ArchiveQuery(Alice, Start: Noon.AddSeconds(5), End: Noon.AddSeconds(1)),
            new ArchiveQuery(Carol, Start: Noon),
        })
        {
            var page = await _archive.QueryAsync(query);
            Assert.Empty(page.Messages);
            Assert.Equal((true, 0), (page.Complete, page.Count));
        }
    }

    [Fact]
    public async Task After_a_clock_stepped_back_ranges_still_hold_exactly_the_messages_stamped_inside()
    {
        int[] stamps = [5, 1, 9, 3, 7, 4];
        await _archive.AppendAsync([.. stamps.Select(n => Entry(Alice, n % 2 == 0 ? Peter : Bob, n))]);

        var inside = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(3), End: Noon.AddSeconds(7), Max: 2));
        var rest = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(3), End: Noon.AddSeconds(7), After: inside.Messages[^1].Id));
        var withBob = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Bob, Start: Noon.AddSeconds(2), LastPage: true));

        await AssertStampsInOrderAsync(0L);
        Assert.Equal([5, 3], Numbers(inside));
        Assert.Equal((false, 4), (inside.Complete, inside.Count));
        Assert.Equal([7, 4], Numbers(rest));
        Assert.True(rest.Complete);
        Assert.Equal([5, 9, 3, 7], Numbers(withBob));
    }

    [Fact]
    public async Task An_emptied_archive_counts_as_in_order_again()
    {
        await _archive.AppendAsync([Entry(Alice, Bob, 5), Entry(Alice, Bob, 1)]);
        await AssertStampsInOrderAsync(0L);

        await _archive.DeleteAsync(Alice, null);
        await _archive.AppendAsync([Entry(Alice, Bob, 0), Entry(Alice, Bob, 2)]);

        await AssertStampsInOrderAsync(1L);
        Assert.Equal([2], Numbers(await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(1)))));
    }

    // SQLite keeps whether an owner's stamps grow with the ids (to page time ranges by id); PostgreSQL
    // has no such bookkeeping, so there only the query results above are the contract.
    private async Task AssertStampsInOrderAsync(long expected)
    {
        if (_db.Provider == "Sqlite")
        {
            Assert.Equal(expected, await _db.ScalarAsync("SELECT stamps_in_order FROM archive_owners WHERE owner = 'alice@a.example'"));
        }
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchiveTimeRangeTests() : ArchiveTimeRangeContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveTimeRangeTests(PostgresServer server) : ArchiveTimeRangeContract(new TempPostgresDatabase(server, nameof(PostgresArchiveTimeRangeTests)));
