using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>XEP-0059 paging over the archive: every message once, in order, and a truthful complete flag.</summary>
public abstract class ArchivePagingContract : IAsyncLifetime
{
    private const int Total = 500;
    private const int PageSize = 20;

    private readonly IStoreDatabase _db;

    protected ArchivePagingContract(IStoreDatabase db) => _db = db;
    private IArchiveStore _archive = null!;
    private IReadOnlyList<ArchivedMessage> _stored = [];

    public async Task InitializeAsync()
    {
        _archive = (await _db.OpenAsync()).Archive;
        _stored = await _archive.AppendAsync([.. Enumerable.Range(0, Total).Select(n => Entry(Alice, n % 3 == 0 ? Bob : Peter, n))]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Paging_forward_with_after_returns_every_message_once_in_order_and_complete_only_at_the_end()
    {
        var seen = new List<int>();
        var pages = 0;
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Max: PageSize));
        while (true)
        {
            pages++;
            Assert.Equal(Total, page.Count);
            Assert.InRange(page.Messages.Count, 1, PageSize);
            seen.AddRange(Numbers(page));
            if (page.Complete)
            {
                break;
            }

            Assert.True(pages < Total, "paging did not end");
            page = await _archive.QueryAsync(new ArchiveQuery(Alice, After: page.Messages[^1].Id, Max: PageSize));
        }

        Assert.Equal(Enumerable.Range(0, Total), seen);
        Assert.Equal(Total / PageSize, pages);
    }

    [Fact]
    public async Task Paging_backward_from_the_last_page_with_before_returns_every_message_once_and_complete_only_at_the_start()
    {
        var pages = new List<IReadOnlyList<ArchivedMessage>>();
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, LastPage: true, Max: PageSize));
        while (true)
        {
            Assert.Equal(Total, page.Count);
            Assert.Equal(page.Messages.OrderBy(m => m.Id, StringComparer.Ordinal), page.Messages);
            pages.Add(page.Messages);
            if (page.Complete)
            {
                break;
            }

            Assert.True(pages.Count < Total, "paging did not end");
            page = await _archive.QueryAsync(new ArchiveQuery(Alice, Before: page.Messages[0].Id, Max: PageSize));
        }

        pages.Reverse();
        Assert.Equal(Enumerable.Range(0, Total), pages.SelectMany(p => p).Select(Number));
        Assert.Equal(Total / PageSize, pages.Count);
    }

    [Fact]
    public async Task Without_after_or_before_the_oldest_page_comes_first()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Max: 5));

        Assert.Equal([0, 1, 2, 3, 4], Numbers(page));
        Assert.False(page.Complete);
    }

    [Fact]
    public async Task The_last_page_is_the_newest_messages_oldest_first()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, LastPage: true, Max: 3));

        Assert.Equal([497, 498, 499], Numbers(page));
        Assert.False(page.Complete);
        Assert.Equal(Total, page.Count);
    }

    [Fact]
    public async Task Before_returns_the_messages_immediately_preceding_the_id()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Before: _stored[100].Id, Max: 4));

        Assert.Equal([96, 97, 98, 99], Numbers(page));
        Assert.False(page.Complete);
    }

    [Fact]
    public async Task After_and_before_together_bound_the_range()
    {
        var forward = await _archive.QueryAsync(new ArchiveQuery(Alice, After: _stored[10].Id, Before: _stored[14].Id, Max: 10));
        var backward = await _archive.QueryAsync(new ArchiveQuery(Alice, After: _stored[10].Id, Before: _stored[20].Id, Max: 3));

        Assert.Equal([11, 12, 13], Numbers(forward));
        Assert.True(forward.Complete);
        Assert.Equal([17, 18, 19], Numbers(backward));
        Assert.False(backward.Complete);
    }

    [Fact]
    public async Task Flip_returns_the_same_page_newest_first()
    {
        var forward = await _archive.QueryAsync(new ArchiveQuery(Alice, After: _stored[9].Id, Max: 3, Flip: true));
        var last = await _archive.QueryAsync(new ArchiveQuery(Alice, LastPage: true, Max: 3, Flip: true));

        Assert.Equal([12, 11, 10], Numbers(forward));
        Assert.Equal([499, 498, 497], Numbers(last));
        Assert.False(forward.Complete);
    }

    [Fact]
    public async Task A_page_that_reaches_the_end_exactly_is_complete()
    {
        var tail = await _archive.QueryAsync(new ArchiveQuery(Alice, After: _stored[Total - 4].Id, Max: 3));
        var head = await _archive.QueryAsync(new ArchiveQuery(Alice, Before: _stored[3].Id, Max: 3));

        Assert.Equal([497, 498, 499], Numbers(tail));
        Assert.True(tail.Complete);
        Assert.Equal([0, 1, 2], Numbers(head));
        Assert.True(head.Complete);
    }

    [Fact]
    public async Task After_the_newest_message_the_page_is_empty_and_complete()
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, After: _stored[^1].Id));

        Assert.Empty(page.Messages);
        Assert.True(page.Complete);
        Assert.Equal(Total, page.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Max_zero_or_less_returns_no_messages_but_the_count(int max)
    {
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, Max: max));

        Assert.Empty(page.Messages);
        Assert.False(page.Complete);
        Assert.Equal(Total, page.Count);
    }

    [Theory]
    [InlineData("0000000000zzz")]
    [InlineData("not an id")]
    [InlineData("")]
    public async Task An_after_or_before_id_not_in_the_archive_is_not_found(string id)
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _archive.QueryAsync(new ArchiveQuery(Alice, After: id)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _archive.QueryAsync(new ArchiveQuery(Alice, Before: id)));
    }

    [Fact]
    public async Task Another_owners_id_is_not_found_as_a_paging_anchor()
    {
        var carols = await _archive.AppendAsync(Entry(Carol, Bob, 1));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => _archive.QueryAsync(new ArchiveQuery(Alice, After: carols.Id)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _archive.QueryAsync(new ArchiveQuery(Alice, Before: carols.Id)));
    }

    [Fact]
    public async Task An_anchor_outside_the_filters_still_positions_the_page()
    {
        // m1 is with Peter; a With=Bob query paged after it continues with Bob's messages after it.
        var page = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Bob, After: _stored[1].Id, Max: 2));

        Assert.Equal([3, 6], Numbers(page));
    }

    [Fact]
    public async Task Count_is_the_number_matching_the_filters_whatever_the_page()
    {
        var withBob = await _archive.QueryAsync(new ArchiveQuery(Alice, With: Bob, After: _stored[300].Id, Max: 1));
        var inWindow = await _archive.QueryAsync(new ArchiveQuery(Alice, Start: Noon.AddSeconds(10), End: Noon.AddSeconds(19), Max: 1));

        Assert.Equal(167, withBob.Count);
        Assert.Equal(10, inWindow.Count);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchivePagingTests() : ArchivePagingContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchivePagingTests(PostgresServer server) : ArchivePagingContract(new TempPostgresDatabase(server, nameof(PostgresArchivePagingTests)));
