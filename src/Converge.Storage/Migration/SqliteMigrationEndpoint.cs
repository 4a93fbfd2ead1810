using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Migration;

/// <summary>A SQLite file as the source or the target of a migration, on a connection of its own.</summary>
internal sealed class SqliteMigrationEndpoint : IMigrationEndpoint
{
    private readonly SqliteConnection _connection;

    private SqliteMigrationEndpoint(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteMigrationEndpoint> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new SqliteMigrationEndpoint(connection);
    }

    public async Task<long> CountAsync(MigratedTable table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync($"SELECT count(*) FROM {table.Name}", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    public async IAsyncEnumerable<object?[]> ReadAsync(MigratedTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {table.ColumnList} FROM {table.Name} ORDER BY {table.SqliteOrder ?? table.OrderBy}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return table.ReadRow(reader);
        }
    }

    public async Task<long> SequenceHighWaterAsync(MigratedTable table, CancellationToken cancellationToken)
    {
        var seq = await ScalarAsync($"SELECT seq FROM sqlite_sequence WHERE name = '{table.Name}'", cancellationToken).ConfigureAwait(false);
        var max = await ScalarAsync($"SELECT MAX({table.Identity}) FROM {table.Name}", cancellationToken).ConfigureAwait(false);
        return Math.Max(seq is null or DBNull ? 0 : Convert.ToInt64(seq, CultureInfo.InvariantCulture), max is null or DBNull ? 0 : Convert.ToInt64(max, CultureInfo.InvariantCulture));
    }

    public async Task<Dictionary<string, (long Rows, bool Done)>> ReadProgressAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync(MigrationProgressTable.Create, cancellationToken).ConfigureAwait(false);
        await using var command = _connection.CreateCommand();
        command.CommandText = MigrationProgressTable.Select;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var progress = new Dictionary<string, (long, bool)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            progress[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2) != 0);
        }

        return progress;
    }

    public async Task WriteChunkAsync(MigratedTable table, IReadOnlyList<object?[]> rows, long copied, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText =
                $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
            var parameters = table.Columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null))).ToArray();
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await RecordAsync(transaction, table.Name, copied, done: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RaiseSequenceAsync(MigratedTable table, long highWater, CancellationToken cancellationToken)
    {
        // AUTOINCREMENT reads sqlite_sequence; explicit ids already raised it to their maximum.
        await ExecuteAsync($"UPDATE sqlite_sequence SET seq = MAX(seq, {highWater}) WHERE name = '{table.Name}'", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            $"INSERT INTO sqlite_sequence (name, seq) SELECT '{table.Name}', {highWater} WHERE {highWater} > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '{table.Name}')",
            cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkDoneAsync(MigratedTable table, long copied, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(transaction, table.Name, copied, done: true, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(SqliteTransaction transaction, string table, long copied, bool done, CancellationToken cancellationToken)
    {
        await using var record = _connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = MigrationProgressTable.Upsert.Replace("@", "$", StringComparison.Ordinal);
        record.Parameters.AddWithValue("$table", table);
        record.Parameters.AddWithValue("$rows", copied);
        record.Parameters.AddWithValue("$done", done ? 1 : 0);
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
