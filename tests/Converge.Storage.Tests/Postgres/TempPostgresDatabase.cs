using Converge.Core.Storage;
using Converge.Storage.Postgres;
using Converge.Storage.Tests.Contract;
using Npgsql;

namespace Converge.Storage.Tests.Postgres;

/// <summary>
/// The test class's database on the shared server, emptied for each test (tables truncated, sequences
/// restarted) before the first open: as good as a fresh database, without creating one per test.
/// </summary>
internal sealed class TempPostgresDatabase(PostgresServer server, string name) : IStoreDatabase
{
    private readonly List<IStores> _opened = [];
    private string? _connectionString;

    public string Provider => "Postgres";

    public async Task<string> ConnectionStringAsync()
    {
        if (_connectionString is null)
        {
            _connectionString = await server.DatabaseAsync(name);
            await EmptyAsync(_connectionString);
        }

        return _connectionString;
    }

    public async Task<IStores> OpenAsync()
    {
        var stores = await PostgresStores.OpenAsync(await ConnectionStringAsync());
        _opened.Add(stores);
        return stores;
    }

    /// <summary>Opens the stores and gives access to their internals (the writer).</summary>
    public async Task<PostgresDatabase> OpenDatabaseAsync() => (PostgresDatabase)await OpenAsync();

    public long CommittedBatches(IStores stores) => ((PostgresDatabase)stores).Writer.CommittedBatches;

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task EmptyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string Tables = "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'";
        await using var list = new NpgsqlCommand(Tables, connection);
        if (await list.ExecuteScalarAsync() is string tables)
        {
            await using var truncate = new NpgsqlCommand($"TRUNCATE {tables} RESTART IDENTITY CASCADE", connection);
            await truncate.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stores in _opened)
        {
            await stores.DisposeAsync();
        }
    }
}
