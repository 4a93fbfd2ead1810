using Converge.Core.Storage;

namespace Converge.Storage.Sqlite;

/// <summary>The embedded storage provider: one SQLite database file in WAL mode.</summary>
public static class SqliteStores
{
    /// <summary>
    /// Opens (creating the file and its directory if missing) and migrates the database, then
    /// returns its stores. Several processes may open the same file at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Converge.</exception>
    public static Task<IStores> OpenAsync(string databasePath, SqliteStoreOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        options ??= new SqliteStoreOptions();
        options.Validate();
        ct.ThrowIfCancellationRequested();

        // Microsoft.Data.Sqlite has no truly asynchronous I/O; opening is short local file work.
        IStores stores = SqliteDatabase.Open(databasePath, options);
        return Task.FromResult(stores);
    }
}
