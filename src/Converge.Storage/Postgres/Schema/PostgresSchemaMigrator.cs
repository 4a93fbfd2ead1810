using Converge.Storage.Sqlite.Schema;
using Npgsql;

namespace Converge.Storage.Postgres.Schema;

/// <summary>Brings a database to the latest schema, or refuses one written by a newer Converge.</summary>
internal static class PostgresSchemaMigrator
{
    // Any fixed number: nodes and CLI commands starting together on an empty database queue on this
    // lock instead of both creating the tables.
    private const long MigrationLock = 0x436f6e7665726765;

    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     integer PRIMARY KEY,
            description text NOT NULL,
            applied_at  timestamptz NOT NULL
        )
        """;

    private const string SelectCurrent = "SELECT COALESCE(MAX(version), 0) FROM schema_version";

    public static Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        MigrateAsync(connection, PostgresSchemaMigrations.All, cancellationToken);

    internal static async Task<int> MigrateAsync(
        NpgsqlConnection connection, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken)
    {
        var latest = migrations[^1].Version;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Run(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken).ConfigureAwait(false);
        await Run(connection, transaction, CreateVersionTable, cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(
            await PostgresReader.ScalarAsync(connection, transaction, new(SelectCurrent), cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database '{connection.Database}' has schema version {current}, but this version of Converge knows " +
                $"PostgreSQL schema versions up to {latest} only. Run a newer Converge, or restore a backup made by this version.");
        }

        foreach (var migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            await Run(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = new PostgresStatement(
                "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, now())",
                migration.Version,
                migration.Description).ToCommand(connection, transaction);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            current = migration.Version;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private static async Task Run(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
