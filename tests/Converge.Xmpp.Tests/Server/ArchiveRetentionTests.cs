using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Im;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Xmpp.Tests.Server;

/// <summary>Archive.Retention's pass as the admin API runs and reports it.</summary>
public sealed class ArchiveRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Jid Alice = Jid.Parse("alice@localhost");
    private static readonly Jid Bob = Jid.Parse("bob@localhost");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "converge-retention-" + Guid.NewGuid().ToString("N"));
    private IStores _stores = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stores = await SqliteStores.OpenAsync(Path.Combine(_directory, "test.db"));
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_pass_removes_what_is_older_than_the_period_and_is_kept_as_the_last_run_with_who_asked()
    {
        await _stores.Archive.AppendAsync(Entry(Now.AddDays(-40)));
        await _stores.Archive.AppendAsync(Entry(Now.AddDays(-31)));
        await _stores.Archive.AppendAsync(Entry(Now.AddDays(-10)));
        var retention = new ArchiveRetention(_stores.Archive, TimeSpan.FromDays(30), new FixedTime(Now), NullLogger.Instance);
        Assert.Null(retention.Last);

        var run = await retention.RunAsync("token:noc", CancellationToken.None);
        var again = await retention.RunAsync("schedule", CancellationToken.None);

        Assert.Equal(new ArchiveRetentionRun("token:noc", Now, Now, Now.AddDays(-30), 2, null), run);
        Assert.Equal(0, again.Deleted);
        Assert.Same(again, retention.Last);
        var left = await _stores.Archive.QueryAsync(new ArchiveQuery(Alice));
        Assert.Equal([Now.AddDays(-10)], left.Messages.Select(m => m.Timestamp));
    }

    [Fact]
    public async Task A_pass_the_store_fails_is_recorded_with_its_reason_and_does_not_throw()
    {
        var closed = await SqliteStores.OpenAsync(Path.Combine(_directory, "closed.db"));
        var retention = new ArchiveRetention(closed.Archive, TimeSpan.FromDays(30), new FixedTime(Now), NullLogger.Instance);
        await closed.DisposeAsync();

        var run = await retention.RunAsync("schedule", CancellationToken.None);

        Assert.Equal(0, run.Deleted);
        Assert.NotNull(run.Error);
        Assert.Same(run, retention.Last);
    }

    private static ArchiveEntry Entry(DateTimeOffset at) =>
        new(Alice, Bob, at, true, null, "<message xmlns='jabber:client' to='bob@localhost' type='chat'><body>hi</body></message>");

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
