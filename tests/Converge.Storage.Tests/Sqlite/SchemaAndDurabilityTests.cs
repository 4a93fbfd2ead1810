using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Storage.Sqlite;
using Converge.Storage.Sqlite.Schema;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Sqlite;

public sealed class SchemaAndDurabilityTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Opening_creates_the_file_and_its_directory_and_records_the_schema_version()
    {
        Assert.False(File.Exists(_db.Path));

        await _db.OpenAsync();

        Assert.True(File.Exists(_db.Path));
        Assert.Equal(
            SchemaMigrations.All.Select(m => (long)m.Version),
            RawSql.Longs(_db.Path, "SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_directory_is_0700_and_the_database_wal_and_shm_files_are_0600_on_unix()
    {
        const UnixFileMode ownerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        var db = await _db.OpenDatabaseAsync();
        await db.Writer.WriteAsync(static (s, _) => s.ExecuteOnce("CREATE TABLE probe (x INTEGER)"), 0, CancellationToken.None);

        Assert.Equal(ownerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_db.Path)!));
        Assert.Equal(ownerReadWrite, File.GetUnixFileMode(_db.Path));
        Assert.Equal(ownerReadWrite, File.GetUnixFileMode(_db.Path + "-wal"));
        Assert.Equal(ownerReadWrite, File.GetUnixFileMode(_db.Path + "-shm"));
    }

    [Fact]
    public async Task The_file_is_in_write_ahead_log_mode()
    {
        await _db.OpenAsync();

        Assert.Equal("wal", RawSql.Scalar(_db.Path, "PRAGMA journal_mode"));
    }

    [Theory]
    [InlineData(false, 1L)]
    [InlineData(true, 2L)]
    public async Task Writer_syncs_normally_unless_full_sync_is_asked_for(bool synchronousFull, long expected)
    {
        var db = await _db.OpenDatabaseAsync(new SqliteStoreOptions { SynchronousFull = synchronousFull });

        var synchronous = await db.Writer.WriteAsync(static (s, _) => s.ExecuteScalarOnce("PRAGMA synchronous"), 0, CancellationToken.None);

        Assert.Equal(expected, synchronous);
    }

    [Theory]
    [InlineData(0, 0L)]
    [InlineData(2, 2L * 1024 * 1024)]
    public async Task Memory_map_size_is_the_configured_MiB_and_zero_turns_it_off(int mebibytes, long expected)
    {
        var db = await _db.OpenDatabaseAsync(new SqliteStoreOptions { MemoryMapMiB = mebibytes });

        var mmap = await db.Writer.WriteAsync(static (s, _) => s.ExecuteScalarOnce("PRAGMA mmap_size"), 0, CancellationToken.None);

        Assert.Equal(expected, mmap);
    }

    [Fact]
    public async Task Reopening_an_existing_database_applies_no_migration_twice()
    {
        var first = await _db.OpenAsync();
        await first.Accounts.CreateAsync(Account(Alice));
        await first.DisposeAsync();

        var reopened = await _db.OpenAsync();

        Assert.NotNull(await reopened.Accounts.FindAsync(Alice));
        Assert.Equal((long)SchemaMigrations.All.Count, RawSql.Scalar(_db.Path, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_with_a_clear_message()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        var newer = SchemaMigrations.Latest + 1;
        RawSql.Scalar(_db.Path, $"INSERT INTO schema_version (version, description, applied_at) VALUES ({newer}, 'future', 'now')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteStores.OpenAsync(_db.Path));

        Assert.Contains($"schema version {newer}", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer Converge", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_newer_than_the_database_are_applied_in_order()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        SchemaMigration[] next =
        [
            .. SchemaMigrations.All,
            new(SchemaMigrations.Latest + 1, "add a table", "CREATE TABLE extra (x INTEGER)"),
            new(SchemaMigrations.Latest + 2, "fill it", "INSERT INTO extra (x) VALUES (42)"),
        ];

        using (var session = SqliteConnectionFactory.OpenWriter(_db.Path, new SqliteStoreOptions()))
        {
            Assert.Equal(SchemaMigrations.Latest + 2, SchemaMigrator.Migrate(session, next));
        }

        Assert.Equal(42L, RawSql.Scalar(_db.Path, "SELECT x FROM extra"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_database_as_it_was()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        SchemaMigration[] broken =
        [
            .. SchemaMigrations.All,
            new(SchemaMigrations.Latest + 1, "half done", "CREATE TABLE extra (x INTEGER); INSERT INTO missing VALUES (1)"),
        ];

        using (var session = SqliteConnectionFactory.OpenWriter(_db.Path, new SqliteStoreOptions()))
        {
            Assert.ThrowsAny<Exception>(() => SchemaMigrator.Migrate(session, broken));
            Assert.Equal(SchemaMigrations.Latest, SchemaMigrator.CurrentVersion(session));
        }

        Assert.Equal(0L, RawSql.Scalar(_db.Path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'"));
    }

    [Fact]
    public async Task Everything_written_is_there_after_dispose_and_reopen()
    {
        var first = await _db.OpenAsync();
        await first.Accounts.CreateAsync(Account(Alice, "+4915112345678", "alice@mail.example"));
        var version = await first.Rosters.SetItemAsync(Alice, new RosterItem(Bob, "Bob", ["Friends"], SubscriptionState.Both));
        var id = await first.Offline.StoreAsync(Alice, DateTimeOffset.UnixEpoch, "<message id='kept'/>");
        await first.BlockLists.AddAsync(Alice, [Jid.Parse("spam.example")]);
        await first.VCards.SetAsync(Alice, "<vCard xmlns='vcard-temp'/>");
        await first.DisposeAsync();

        var reopened = await _db.OpenAsync();

        AccountAssert.Same(Account(Alice, "+4915112345678", "alice@mail.example"), await reopened.Accounts.FindByMsisdnAsync("+4915112345678"));
        var (items, storedVersion) = await reopened.Rosters.GetAsync(Alice);
        Assert.Equal(version, storedVersion);
        Assert.Equal(["Friends"], Assert.Single(items).Groups);
        var message = Assert.Single(await reopened.Offline.PeekAllAsync(Alice, 10));
        Assert.Equal((id, "<message id='kept'/>"), (message.Id, message.StanzaXml));
        Assert.Equal([Jid.Parse("spam.example")], await reopened.BlockLists.GetAsync(Alice));
        Assert.Equal("<vCard xmlns='vcard-temp'/>", await reopened.VCards.GetAsync(Alice));
    }
}
