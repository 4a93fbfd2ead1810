using System.Text;
using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

/// <summary>Archive.QuotaBytesPerUser: the size the database keeps per owner, and retention of the newest that fit.</summary>
public abstract class ArchiveQuotaContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchiveQuotaContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static int Size(int n) => Encoding.UTF8.GetByteCount(Xml(n));

    [Fact]
    public async Task The_size_counts_utf8_bytes_of_each_owner_and_follows_deletes()
    {
        var archive = (await _db.OpenAsync()).Archive;
        const string Umlauts = "<message xmlns='jabber:client'><body>äöü €</body></message>";
        await archive.AppendAsync(new ArchiveEntry(Alice, Bob, Noon, false, null, Umlauts));
        await archive.AppendAsync(Entry(Alice, Bob, 1));
        await archive.AppendAsync(Entry(Carol, Bob, 2));

        Assert.Equal(Encoding.UTF8.GetByteCount(Umlauts) + Size(1), await archive.BytesAsync(Alice));
        Assert.Equal(Size(2), await archive.BytesAsync(Carol));
        Assert.Equal(0, await archive.BytesAsync(Peter));

        await archive.DeleteAsync(Alice, Noon.AddMilliseconds(500));
        Assert.Equal(Size(1), await archive.BytesAsync(Alice));
        await archive.DeleteAsync(Alice, null);
        Assert.Equal(0, await archive.BytesAsync(Alice));
    }

    [Fact]
    public async Task Trimming_drops_the_oldest_messages_until_the_rest_fits_and_leaves_other_owners_alone()
    {
        var archive = (await _db.OpenAsync()).Archive;
        for (var n = 1; n <= 10; n++)
        {
            await archive.AppendAsync(Entry(Alice, Bob, n));
            await archive.AppendAsync(Entry(Carol, Bob, n));
        }

        // Room for the newest three and a little: exactly 7 go.
        var quota = Size(8) + Size(9) + Size(10) + 5;
        Assert.Equal(7, await archive.TrimToQuotaAsync(Alice, quota));

        Assert.Equal([8, 9, 10], Numbers(await archive.QueryAsync(new ArchiveQuery(Alice))));
        Assert.True(await archive.BytesAsync(Alice) <= quota);
        Assert.Equal(10, (await archive.QueryAsync(new ArchiveQuery(Carol))).Count);

        // Under the quota: nothing more goes.
        Assert.Equal(0, await archive.TrimToQuotaAsync(Alice, quota));
        Assert.Equal(0, await archive.TrimToQuotaAsync(Peter, 0));
    }

    [Fact]
    public async Task An_archive_far_over_the_quota_is_trimmed_across_several_chunks()
    {
        var archive = (await _db.OpenAsync()).Archive;
        await archive.AppendAsync(Enumerable.Range(1, 2500).Select(n => Entry(Alice, Bob, n)).ToList());

        Assert.Equal(2499, await archive.TrimToQuotaAsync(Alice, Size(2500)));
        Assert.Equal([2500], Numbers(await archive.QueryAsync(new ArchiveQuery(Alice))));
        Assert.Equal(Size(2500), await archive.BytesAsync(Alice));
    }

    [Fact]
    public async Task The_size_survives_reopening()
    {
        var archive = (await _db.OpenAsync()).Archive;
        await archive.AppendAsync(Entry(Alice, Bob, 1));
        Assert.Equal(Size(1), await (await _db.OpenAsync()).Archive.BytesAsync(Alice));
    }
}

public sealed class SqliteArchiveQuotaTests() : ArchiveQuotaContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveQuotaTests(PostgresServer server) : ArchiveQuotaContract(new TempPostgresDatabase(server, nameof(PostgresArchiveQuotaTests)));
