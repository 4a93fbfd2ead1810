using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Contract;

/// <summary>Spam reports (XEP-0377) and the server-wide domain blocklist, on both providers.</summary>
public abstract class AbuseStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly IStoreDatabase _db;

    protected AbuseStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Reports_come_back_newest_first_with_their_ids_after_reopening()
    {
        var stores = await _db.OpenAsync();
        var first = await stores.SpamReports.AddAsync(new SpamReport(0, "alice@a.example", "spammer@evil.example", "spam", "buy pills", Noon));
        var second = await stores.SpamReports.AddAsync(new SpamReport(0, "carol@a.example", "troll@evil.example/x", "abuse", null, Noon.AddSeconds(1)));

        Assert.True(second.Id > first.Id && first.Id > 0);
        var listed = await (await _db.OpenAsync()).SpamReports.ListAsync(10);
        Assert.Equal([second, first], listed);
        Assert.Equal([second], await stores.SpamReports.ListAsync(1));
    }

    [Fact]
    public async Task A_domain_is_listed_once_and_removal_says_whether_it_was_there()
    {
        var stores = await _db.OpenAsync();
        Assert.True(await stores.DomainBlocks.AddAsync("evil.example", Noon));
        Assert.False(await stores.DomainBlocks.AddAsync("evil.example", Noon.AddSeconds(1)));
        Assert.True(await stores.DomainBlocks.AddAsync("spam.example", Noon.AddSeconds(2)));

        Assert.Equal(["evil.example", "spam.example"], await (await _db.OpenAsync()).DomainBlocks.ListAsync());
        Assert.True(await stores.DomainBlocks.RemoveAsync("evil.example"));
        Assert.False(await stores.DomainBlocks.RemoveAsync("evil.example"));
        Assert.Equal(["spam.example"], await stores.DomainBlocks.ListAsync());
    }
}

public sealed class SqliteAbuseStoreTests() : AbuseStoreContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresAbuseStoreTests(PostgresServer server) : AbuseStoreContract(new TempPostgresDatabase(server, nameof(PostgresAbuseStoreTests)));
