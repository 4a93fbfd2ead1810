using Converge.Storage.Postgres;

namespace Converge.Storage.Migration;

/// <summary>Where one provider keeps its data: a SQLite file, or a PostgreSQL database.</summary>
public sealed record StorageLocation
{
    private StorageLocation(bool isPostgres, string value)
    {
        IsPostgres = isPostgres;
        Value = value;
    }

    public bool IsPostgres { get; }

    /// <summary>The SQLite file path, or the Npgsql connection string.</summary>
    public string Value { get; }

    public static StorageLocation Sqlite(string path) => new(false, path);

    public static StorageLocation Postgres(string connectionString) => new(true, connectionString);

    /// <summary>For messages: never the password.</summary>
    public override string ToString() => IsPostgres ? PostgresStores.Describe(Value) : "sqlite:" + Value;
}
