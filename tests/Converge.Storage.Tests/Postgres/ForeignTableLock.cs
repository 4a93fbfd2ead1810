using Npgsql;

namespace Converge.Storage.Tests.Postgres;

/// <summary>
/// Holds an EXCLUSIVE lock on tables from another connection (as another node or an operator's
/// session would): the writer's next group waits on it, so writes queued meanwhile pile up behind it.
/// </summary>
internal sealed class ForeignTableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private ForeignTableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<ForeignTableLock> TakeAsync(string connectionString, string tables)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"LOCK TABLE {tables} IN EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new ForeignTableLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _connection.DisposeAsync();
    }
}
