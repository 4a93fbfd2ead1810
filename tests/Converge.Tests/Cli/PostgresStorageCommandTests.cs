using System.Text.Json;
using Npgsql;

namespace Converge.Tests.Cli;

/// <summary>
/// The commands on <c>Storage.Provider: Postgres</c>: they create the schema in an empty database,
/// say in one line when the database is unreachable, and <c>storage migrate</c> moves a SQLite
/// provider's users to PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageCommandTests(PostgresServer server) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task User_add_on_an_empty_database_creates_the_schema_and_the_account()
    {
        var cli = await CliOnPostgresAsync("cli_user_add");

        var add = await cli.RunAsync("user", "add", "alice", "--password", "pw", "--msisdn", "+4915112345678");
        var list = await cli.RunAsync("user", "list");

        Assert.Equal((0, "added alice@a.example"), (add.ExitCode, add.Output.Trim()));
        Assert.Equal(["alice@a.example", "+4915112345678", "-", "true", "true", "false"], list.OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(cli.DataDirectory) && Directory.GetFiles(cli.DataDirectory, "*.db").Length > 0, "nothing is stored in a SQLite file");
    }

    [Fact]
    public async Task User_set_lock_and_unlock_are_stored_in_postgres()
    {
        var cli = await CliOnPostgresAsync("cli_user_lock");
        await cli.RunAsync("user", "add", "alice", "--password", "pw");

        var locked = await cli.RunAsync("user", "set", "alice", "--lock");
        Assert.Equal((0, "updated alice@a.example"), (locked.ExitCode, locked.Output.Trim()));
        Assert.Equal("true", (await cli.RunAsync("user", "list")).OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);

        Assert.Equal(0, (await cli.RunAsync("user", "set", "alice", "--unlock")).ExitCode);
        Assert.Equal("false", (await cli.RunAsync("user", "list")).OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_without_the_password()
    {
        var cli = new ConvergeCli(_dir);
        var connectionString = new NpgsqlConnectionStringBuilder(await server.DatabaseAsync("cli_unreachable"))
        {
            Port = ClosedPort(),
            Timeout = 5,
        };
        SetPostgres(cli, connectionString.ToString());

        var list = await cli.RunAsync("user", "list");

        Assert.Equal(1, list.ExitCode);
        Assert.StartsWith(
            $"error: cannot open storage 'postgres://{PostgresServer.Role}@127.0.0.1:{connectionString.Port}/cli_unreachable': the PostgreSQL database is unreachable: ",
            list.ErrorLine,
            StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString.Password!, list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_migrate_moves_a_sqlite_providers_users_to_postgres_and_prints_the_counts()
    {
        var sqlite = new ConvergeCli(_dir);
        await sqlite.RunAsync("user", "add", "alice", "--password", "pw", "--msisdn", "+4915112345678");
        await sqlite.RunAsync("user", "add", "bob", "--password", "pw", "--cpm", "false");
        var before = await sqlite.RunAsync("user", "list");
        var connectionString = await server.DatabaseAsync("cli_migrate");
        var postgresConfig = _dir.Write("postgres.json", Config(connectionString));

        var migrate = await sqlite.RunAsync("storage", "migrate", "--from-config", sqlite.ConfigPath, "--to-config", postgresConfig);
        var again = await sqlite.RunAsync("storage", "migrate", "--from-config", sqlite.ConfigPath, "--to-config", postgresConfig);

        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains(migrate.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["accounts", "2"]);
        Assert.Contains(migrate.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["scram_credentials", "4"]);
        Assert.DoesNotContain('\r', migrate.Output);
        Assert.DoesNotContain("Password", migrate.Output, StringComparison.OrdinalIgnoreCase);

        // A second run finds every table done: nothing is copied twice.
        Assert.Equal(0, again.ExitCode);
        Assert.Contains(again.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["accounts", "2", "(0", "this", "run)"]);

        var onPostgres = await CliOnPostgresAsync("cli_migrate");
        Assert.Equal(before.OutputLines, (await onPostgres.RunAsync("user", "list")).OutputLines);
    }

    [Fact]
    public async Task Storage_migrate_into_a_database_that_holds_users_is_refused()
    {
        var sqlite = new ConvergeCli(_dir);
        await sqlite.RunAsync("user", "add", "alice", "--password", "pw");
        var target = await CliOnPostgresAsync("cli_migrate_refused");
        await target.RunAsync("user", "add", "carol", "--password", "pw");
        var postgresConfig = _dir.Write("postgres.json", Config(await server.DatabaseAsync("cli_migrate_refused")));

        var migrate = await sqlite.RunAsync("storage", "migrate", "--from-config", sqlite.ConfigPath, "--to-config", postgresConfig);

        Assert.Equal(1, migrate.ExitCode);
        Assert.Contains("is not empty (table accounts holds 1 rows)", migrate.ErrorLine, StringComparison.Ordinal);
        Assert.Equal(["carol@a.example"], (await target.RunAsync("user", "list")).OutputLines.Skip(1).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task A_connection_string_npgsql_cannot_read_is_a_configuration_error_that_does_not_repeat_the_password()
    {
        var cli = new ConvergeCli(_dir);
        SetPostgres(cli, "Host=db.example;Password=hunter2;Colour=blue");

        var list = await cli.RunAsync("user", "list");

        Assert.Equal(2, list.ExitCode);
        Assert.StartsWith("configuration error: Storage.ConnectionString: is not a valid Npgsql connection string", list.ErrorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_migrate_from_a_database_into_itself_is_refused()
    {
        var postgresConfig = _dir.Write("postgres.json", Config(await server.DatabaseAsync("cli_migrate_itself")));
        var cli = new ConvergeCli(_dir);

        var migrate = await cli.RunAsync("storage", "migrate", "--from-config", postgresConfig, "--to-config", postgresConfig);

        Assert.Equal(1, migrate.ExitCode);
        Assert.StartsWith("error: storage migrate refused: the source and the target are the same database", migrate.ErrorLine, StringComparison.Ordinal);
    }

    private async Task<ConvergeCli> CliOnPostgresAsync(string database)
    {
        var cli = new ConvergeCli(_dir);
        SetPostgres(cli, await server.DatabaseAsync(database));
        return cli;
    }

    private static void SetPostgres(ConvergeCli cli, string connectionString)
    {
        cli.Environment["CONVERGE_Storage__Provider"] = "Postgres";
        cli.Environment["CONVERGE_Storage__ConnectionString"] = connectionString;
    }

    private static string Config(string connectionString) => JsonSerializer.Serialize(new
    {
        Domain = "a.example",
        DataDirectory = "data-pg",
        Storage = new { Provider = "Postgres", ConnectionString = connectionString },
    });

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
