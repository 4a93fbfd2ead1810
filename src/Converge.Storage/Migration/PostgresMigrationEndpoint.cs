using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Converge.Storage.Migration;

/// <summary>A PostgreSQL database as the source or the target of a migration; the target is written with binary COPY.</summary>
internal sealed class PostgresMigrationEndpoint : IMigrationEndpoint
{
    private readonly NpgsqlConnection _connection;

    private PostgresMigrationEndpoint(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresMigrationEndpoint> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresMigrationEndpoint(connection);
    }

    public async Task<long> CountAsync(MigratedTable table, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync($"SELECT count(*) FROM {table.Name}", cancellationToken).ConfigureAwait(false))!;

    public async IAsyncEnumerable<object?[]> ReadAsync(MigratedTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {table.ColumnList} FROM {table.Name} ORDER BY {table.PostgresOrder ?? table.OrderBy}", _connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return table.ReadRow(reader);
        }
    }

    public async Task<long> SequenceHighWaterAsync(MigratedTable table, CancellationToken cancellationToken)
    {
        var last = await ScalarAsync(
            $"SELECT pg_sequence_last_value(pg_get_serial_sequence('{table.Name}', '{table.Identity}')::regclass)", cancellationToken).ConfigureAwait(false);
        var max = await ScalarAsync($"SELECT MAX({table.Identity}) FROM {table.Name}", cancellationToken).ConfigureAwait(false);
        return Math.Max(last is long l ? l : 0, max is long m ? m : 0);
    }

    public async Task<Dictionary<string, (long Rows, bool Done)>> ReadProgressAsync(CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(MigrationProgressTable.Create, _connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = new NpgsqlCommand(MigrationProgressTable.Select, _connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var progress = new Dictionary<string, (long, bool)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            progress[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt32(2) != 0);
        }

        return progress;
    }

    public async Task WriteChunkAsync(MigratedTable table, IReadOnlyList<object?[]> rows, long copied, CancellationToken cancellationToken)
    {
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var copy = await _connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await copy.WriteAsync(row[i], TypeOf(table.Columns[i].Kind), cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(table.Name, copied, done: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RaiseSequenceAsync(MigratedTable table, long highWater, CancellationToken cancellationToken)
    {
        if (highWater > 0)
        {
            await ScalarAsync(
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{table.Identity}'), {highWater})", cancellationToken).ConfigureAwait(false);
        }
    }

    public Task MarkDoneAsync(MigratedTable table, long copied, CancellationToken cancellationToken) =>
        RecordAsync(table.Name, copied, done: true, cancellationToken);

    private async Task RecordAsync(string table, long copied, bool done, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand(MigrationProgressTable.Upsert, _connection);
        record.Parameters.AddWithValue("table", table);
        record.Parameters.AddWithValue("rows", copied);
        record.Parameters.AddWithValue("done", done ? 1 : 0);
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlDbType TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        ColumnKind.Int32 => NpgsqlDbType.Integer,
        ColumnKind.Int64 => NpgsqlDbType.Bigint,
        ColumnKind.Bytes => NpgsqlDbType.Bytea,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
