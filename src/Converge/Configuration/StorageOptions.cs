using Converge.Storage.Sqlite;

namespace Converge.Configuration;

/// <summary>The <c>Storage</c> section.</summary>
internal sealed class StorageOptions
{
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The SQLite database file; null means <c>&lt;DataDirectory&gt;/converge.db</c>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// The PostgreSQL provider's database, in Npgsql's connection-string format
    /// ("Host=...;Port=...;Database=...;Username=...;Password=..."); required when Provider is Postgres.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Tuning of the SQLite provider (synchronous mode, readers, busy timeout).</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();
}
