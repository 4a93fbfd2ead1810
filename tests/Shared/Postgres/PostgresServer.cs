using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Converge.Testing;

/// <summary>
/// A throwaway PostgreSQL server for the test run: initdb and pg_ctl from Debian's packages in a
/// temporary directory, on a free loopback port, as the postgres user when the tests run as root
/// (PostgreSQL refuses to run as root). Each test class gets a database of its own, owned by a role
/// that is not a superuser - what an operator gives Converge. Linked by the test projects that need it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Role = "converge";
    private const string RolePassword = "converge-test-password";
    private const string SuperuserPassword = "superuser-test-password";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "converge-pg-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _databases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string _bin = string.Empty;
    private bool _asPostgresUser;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asPostgresUser = Environment.UserName == "root";
        Directory.CreateDirectory(_directory);
        var passwordFile = Path.Combine(_directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperuserPassword + "\n");
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres", _directory]);
        }

        await RunPostgresToolAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile", passwordFile, "--no-sync"]);
        Port = FreePort();
        await RunPostgresToolAsync("pg_ctl", [
            "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "120", "start",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        ]);

        await using var connection = new NpgsqlConnection(SuperuserConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE ROLE {Role} LOGIN PASSWORD '{RolePassword}' NOSUPERUSER NOCREATEDB NOCREATEROLE", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of the (once created) database <paramref name="name"/>, as the ordinary role.</summary>
    public async Task<string> DatabaseAsync(string name)
    {
        var database = name.ToLowerInvariant();
        await _lock.WaitAsync();
        try
        {
            if (!_databases.TryGetValue(database, out var connectionString))
            {
                await using var connection = new NpgsqlConnection(SuperuserConnectionString("postgres"));
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" OWNER {Role}", connection);
                await create.ExecuteNonQueryAsync();
                connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = Port,
                    Database = database,
                    Username = Role,
                    Password = RolePassword,
                    Pooling = true,
                }.ToString();
                _databases.Add(database, connectionString);
            }

            return connectionString;
        }
        finally
        {
            _lock.Release();
        }
    }

    private string SuperuserConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = "postgres",
        Password = SuperuserPassword,
        Pooling = false,
    }.ToString();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Port != 0)
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install-test-deps.sh");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresToolAsync(string tool, string[] arguments) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error} {await output}");
        }
    }
}
