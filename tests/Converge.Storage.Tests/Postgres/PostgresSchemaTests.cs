using Converge.Storage.Postgres;
using Converge.Storage.Postgres.Schema;
using Npgsql;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Postgres;

/// <summary>Opening creates or upgrades the schema as an ordinary role, refuses a newer one, and says in one line when the server is not there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempPostgresDatabase _db = new(server, nameof(PostgresSchemaTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_empty_database_gets_the_latest_schema_from_a_role_that_is_not_a_superuser()
    {
        var connectionString = await _db.ConnectionStringAsync();
        // Every table and function in the schema, whichever migrations made them (Orleans' tables and
        // functions too), so a new one cannot be forgotten here.
        await _db.ScalarAsync("DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' " +
            "LOOP EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t); END LOOP; " +
            "FOR t IN SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace " +
            "LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || t || ' CASCADE'; END LOOP; END $$");

        var stores = await _db.OpenAsync();

        Assert.Equal(false, await _db.ScalarAsync("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(PostgresSchemaMigrations.Latest, await _db.ScalarAsync("SELECT MAX(version) FROM schema_version"));
        Assert.True(await stores.Accounts.CreateAsync(Account(Alice)));
        await using var again = await PostgresStores.OpenAsync(connectionString);
        Assert.Equal((long)PostgresSchemaMigrations.All.Count, await _db.ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.NotNull(await again.Accounts.FindAsync(Alice));
    }

    [Fact]
    public async Task Nodes_opening_an_empty_database_at_once_create_the_schema_once()
    {
        var connectionString = await _db.ConnectionStringAsync();
        await _db.ScalarAsync("DROP TABLE IF EXISTS schema_version, accounts CASCADE");
        await _db.ScalarAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public");

        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresStores.OpenAsync(connectionString)));

        Assert.Equal((long)PostgresSchemaMigrations.All.Count, await _db.ScalarAsync("SELECT count(*) FROM schema_version"));
        foreach (var stores in opened)
        {
            await stores.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_and_its_archive_ids_continue_above_every_id_the_sequence_gave()
    {
        var connectionString = await _db.ConnectionStringAsync();
        await _db.ScalarAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await PostgresSchemaMigrator.MigrateAsync(connection, [PostgresSchemaMigrations.All[0]], CancellationToken.None);
        }

        // What a version-1 Converge left: an account, and archive ids from the sequence, the newest deleted.
        await _db.ScalarAsync("INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm) VALUES ('alice@a.example', NULL, NULL, true, true)");
        await _db.ScalarAsync("INSERT INTO archive_messages (owner, with_jid, stamp, outgoing, thread, xml) " +
            "SELECT 'alice@a.example', 'bob@a.example', n, true, NULL, '<message/>' FROM generate_series(1, 5) AS n");
        await _db.ScalarAsync("DELETE FROM archive_messages WHERE id = (SELECT MAX(id) FROM archive_messages)");

        await using var stores = await PostgresStores.OpenAsync(connectionString);
        var staged = stores.Archive.Stage(new Core.Storage.ArchiveEntry(Alice, Bob, DateTimeOffset.UnixEpoch, true, null, "<message/>", "o:x"));
        await staged.Stored;

        Assert.Equal(PostgresSchemaMigrations.Latest, await _db.ScalarAsync("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(6L, await _db.ScalarAsync("SELECT MAX(id) FROM archive_messages"));
        Assert.Equal("o:x", await _db.ScalarAsync("SELECT origin_key FROM archive_messages WHERE id = 6"));
        Assert.False((await stores.Accounts.FindAsync(Alice))!.Locked);
    }

    [Fact]
    public async Task A_database_written_by_a_newer_converge_is_refused()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        await _db.ScalarAsync($"INSERT INTO schema_version VALUES ({PostgresSchemaMigrations.Latest + 1}, 'from the future', now())");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStores.OpenAsync(_db.ConnectionStringAsync().Result));

        Assert.Contains($"schema version {PostgresSchemaMigrations.Latest + 1}", e.Message, StringComparison.Ordinal);
        await _db.ScalarAsync($"DELETE FROM schema_version WHERE version > {PostgresSchemaMigrations.Latest}");
    }

    [Fact]
    public async Task An_unreachable_server_is_one_clear_line()
    {
        var nobody = new NpgsqlConnectionStringBuilder(await _db.ConnectionStringAsync()) { Port = ClosedPort(), Timeout = 5 }.ToString();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStores.OpenAsync(nobody));

        Assert.StartsWith("the PostgreSQL database is unreachable: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_repeating_it()
    {
        var wrong = new NpgsqlConnectionStringBuilder(await _db.ConnectionStringAsync()) { Password = "not-the-password" }.ToString();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStores.OpenAsync(wrong));

        Assert.Contains("password authentication failed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", e.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
