using System.Globalization;

namespace Converge.Storage.Sqlite.Schema;

/// <summary>Brings a database to the latest schema, or refuses one written by a newer Converge.</summary>
internal static class SchemaMigrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    private const string SelectCurrent = "SELECT COALESCE(MAX(version), 0) FROM schema_version";

    private const string InsertVersion =
        "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $applied_at)";

    /// <returns>The schema version the database has now.</returns>
    public static int Migrate(SqliteSession session) => Migrate(session, SchemaMigrations.All);

    internal static int Migrate(SqliteSession session, IReadOnlyList<SchemaMigration> migrations)
    {
        var latest = migrations[^1].Version;

        // IMMEDIATE: two processes opening a fresh file at once must not both create the tables.
        session.ExecuteOnce("BEGIN IMMEDIATE");
        try
        {
            session.ExecuteOnce(CreateVersionTable);
            var current = Convert.ToInt32(session.ExecuteScalarOnce(SelectCurrent), CultureInfo.InvariantCulture);
            if (current > latest)
            {
                throw new InvalidOperationException(
                    $"The database '{session.Connection.DataSource}' has schema version {current}, but this " +
                    $"version of Converge knows schema versions up to {latest} only. Run a newer Converge, " +
                    "or restore a backup made by this version.");
            }

            foreach (var migration in migrations)
            {
                if (migration.Version <= current)
                {
                    continue;
                }

                session.ExecuteOnce(migration.Sql);
                using var record = session.Connection.CreateCommand();
                record.CommandText = InsertVersion;
                record.Bind("$version", migration.Version)
                    .Bind("$description", migration.Description)
                    .Bind("$applied_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
                current = migration.Version;
            }

            session.ExecuteOnce("COMMIT");
            return current;
        }
        catch
        {
            session.RollbackIfInTransaction();
            throw;
        }
    }

    /// <summary>The schema version recorded in the database (0 when none).</summary>
    public static int CurrentVersion(SqliteSession session) =>
        Convert.ToInt32(session.ExecuteScalarOnce(SelectCurrent), CultureInfo.InvariantCulture);
}
