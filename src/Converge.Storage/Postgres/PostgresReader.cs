using System.Data;
using Npgsql;

namespace Converge.Storage.Postgres;

/// <summary>
/// Reads on pooled connections of the data source, beside the writer. Reads that must agree with
/// each other (a page and its count, a roster and its version) run in one REPEATABLE READ snapshot.
/// </summary>
internal sealed class PostgresReader(NpgsqlDataSource source)
{
    /// <summary>Every row of <paramref name="statement"/>, each turned into a <typeparamref name="T"/>.</summary>
    public async Task<List<T>> ListAsync<T>(PostgresStatement statement, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(connection, null, statement, map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<T>> ListAsync<T>(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        PostgresStatement statement,
        Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await using var command = statement.ToCommand(connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Column 0 of the first row, or null.</summary>
    public async Task<object?> ScalarAsync(PostgresStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync(connection, null, statement, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresStatement statement, CancellationToken cancellationToken)
    {
        await using var command = statement.ToCommand(connection, transaction);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// Runs one statement on its own connection, outside the grouped writer: for cluster bookkeeping
    /// (leases) that must not queue behind users' writes. Returns the rows it changed.
    /// </summary>
    public async Task<int> ExecuteAsync(PostgresStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = statement.ToCommand(connection);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> in one read-only snapshot.</summary>
    public async Task<T> SnapshotAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var result = await body(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
