using Npgsql;

namespace Converge.Storage.Postgres;

/// <summary>
/// One SQL statement with positional parameters ($1, $2...). Writes are built from these rather than
/// run on a connection, so the writer can send many callers' statements in one round trip.
/// </summary>
internal sealed record PostgresStatement(string Sql, params object?[] Values)
{
    /// <summary>
    /// True when the statement answers with rows (SELECT, RETURNING): the writer matches the result
    /// sets of a group to these statements, in order.
    /// </summary>
    public bool ReturnsRows { get; init; }

    /// <summary>A statement whose rows its caller reads.</summary>
    public static PostgresStatement Query(string sql, params object?[] values) => new(sql, values) { ReturnsRows = true };

    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var value in Values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public NpgsqlCommand ToCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var command = new NpgsqlCommand(Sql, connection, transaction);
        foreach (var value in Values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
