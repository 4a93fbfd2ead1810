namespace Converge.Storage.Migration;

/// <summary>
/// The target's record of a migration in progress: per table, how many source rows are copied and
/// whether the table is complete. Written in the transaction of each chunk, so a run that stopped
/// resumes exactly where the data ends. Plain SQL both providers accept.
/// </summary>
internal static class MigrationProgressTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS storage_migration_progress (
            table_name  TEXT PRIMARY KEY,
            rows_copied BIGINT NOT NULL,
            done        INTEGER NOT NULL
        )
        """;

    public const string Select = "SELECT table_name, rows_copied, done FROM storage_migration_progress";

    public const string Upsert = """
        INSERT INTO storage_migration_progress (table_name, rows_copied, done) VALUES (@table, @rows, @done)
        ON CONFLICT (table_name) DO UPDATE SET rows_copied = excluded.rows_copied, done = excluded.done
        """;
}
