using Microsoft.Data.Sqlite;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>
/// Holds the database's write lock from another connection, as the CLI does while it writes.
/// While held, the store's writer waits, so everything queued meanwhile lands in one batch.
/// </summary>
internal sealed class ForeignWriteLock : IDisposable
{
    private readonly SqliteConnection _connection;

    private ForeignWriteLock(SqliteConnection connection) => _connection = connection;

    public static ForeignWriteLock Take(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return new ForeignWriteLock(connection);
    }

    public void Dispose()
    {
        using (var commit = _connection.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        _connection.Dispose();
    }
}
