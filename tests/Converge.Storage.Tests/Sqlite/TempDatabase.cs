using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Storage.Tests.Contract;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>A database file in a directory of its own, deleted with everything opened on it.</summary>
internal sealed class TempDatabase : IStoreDatabase
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "converge-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly List<IStores> _opened = [];

    public TempDatabase() => Path = System.IO.Path.Combine(_directory, "data", "converge.db");

    public string Path { get; }

    public string Provider => "Sqlite";

    Task<IStores> IStoreDatabase.OpenAsync() => OpenAsync();

    public long CommittedBatches(IStores stores) => ((SqliteDatabase)stores).Writer.CommittedBatches;

    public Task<object?> ScalarAsync(string sql) => Task.FromResult(RawSql.Scalar(Path, sql));

    public async Task<IStores> OpenAsync(SqliteStoreOptions? options = null)
    {
        var stores = await SqliteStores.OpenAsync(Path, options);
        _opened.Add(stores);
        return stores;
    }

    /// <summary>Opens the store and gives access to its internals (writer, readers).</summary>
    public async Task<SqliteDatabase> OpenDatabaseAsync(SqliteStoreOptions? options = null) =>
        (SqliteDatabase)await OpenAsync(options);

    public async ValueTask DisposeAsync()
    {
        foreach (var stores in _opened)
        {
            await stores.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
