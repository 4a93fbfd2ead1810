using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

public abstract class ArchivePreferencesContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ArchivePreferencesContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_owner_who_never_set_preferences_archives_always()
    {
        var archive = (await _db.OpenAsync()).Archive;

        var preferences = await archive.GetPreferencesAsync(Alice);

        Assert.Equal("always", preferences.Default);
        Assert.Empty(preferences.Always);
        Assert.Empty(preferences.Never);
    }

    [Fact]
    public async Task Preferences_round_trip_with_their_lists_in_order_and_survive_a_reopen()
    {
        var first = await _db.OpenAsync();
        var set = new ArchivePreferences("roster", [Peter, Bob, Jid.Parse("zed@z.example")], [Jid.Parse("spam.example"), Jid.Parse("ads@a.example/bot")]);

        await first.Archive.SetPreferencesAsync(Alice.WithResource("phone"), set);
        await first.DisposeAsync();
        var archive = (await _db.OpenAsync()).Archive;
        var got = await archive.GetPreferencesAsync(Alice);

        Assert.Equal("roster", got.Default);
        Assert.Equal(set.Always, got.Always);
        Assert.Equal(set.Never, got.Never);
        Assert.Equal(ArchivePreferences.Standard.Default, (await archive.GetPreferencesAsync(Carol)).Default);
    }

    [Fact]
    public async Task Setting_preferences_replaces_the_previous_ones()
    {
        var archive = (await _db.OpenAsync()).Archive;
        await archive.SetPreferencesAsync(Alice, new ArchivePreferences("never", [Bob, Peter], [Carol]));

        await archive.SetPreferencesAsync(Alice, new ArchivePreferences("always", [Carol], []));

        var got = await archive.GetPreferencesAsync(Alice);
        Assert.Equal("always", got.Default);
        Assert.Equal([Carol], got.Always);
        Assert.Empty(got.Never);
    }

    [Fact]
    public async Task An_unknown_default_mode_is_refused()
    {
        var archive = (await _db.OpenAsync()).Archive;

        await Assert.ThrowsAsync<ArgumentException>(() => archive.SetPreferencesAsync(Alice, new ArchivePreferences("sometimes", [], [])));
        Assert.Equal("always", (await archive.GetPreferencesAsync(Alice)).Default);
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteArchivePreferencesTests() : ArchivePreferencesContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchivePreferencesTests(PostgresServer server) : ArchivePreferencesContract(new TempPostgresDatabase(server, nameof(PostgresArchivePreferencesTests)));
