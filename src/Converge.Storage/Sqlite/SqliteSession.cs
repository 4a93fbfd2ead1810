using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Converge.Storage.Sqlite;

/// <summary>
/// One open connection and the prepared commands used on it. Not thread-safe: owned by the
/// writer loop, or lent by the reader pool to one caller at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    // Keyed by the SQL text: callers pass constants, so each statement is compiled once per connection.
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _raw = new(StringComparer.Ordinal);
    private readonly SqliteTextBuffer _text = new();

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>True while an explicit transaction is open on this connection.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(Connection.Handle);

    /// <summary>The cached, prepared command for <paramref name="sql"/>; its parameters keep their last values.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            command.Prepare();
            _commands.Add(sql, command);
        }

        return command;
    }

    public int Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>The cached statement for <paramref name="sql"/> on SQLite's C API (see <see cref="SqliteRawStatement"/>).</summary>
    public SqliteRawStatement Raw(string sql)
    {
        if (!_raw.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(Connection.Handle!, sql, _text);
            _raw.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Runs a statement without parameters or rows (BEGIN, SAVEPOINT, COMMIT...) through its cached raw form.</summary>
    public void Run(string sql) => Raw(sql).Run();

    /// <summary>Runs SQL that is used once (pragmas, migrations) without caching its statement.</summary>
    public int ExecuteOnce(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public object? ExecuteScalarOnce(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Ends whatever transaction a failed operation left open, so the next user starts clean.</summary>
    public void RollbackIfInTransaction()
    {
        if (InTransaction)
        {
            Execute("ROLLBACK");
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        foreach (var statement in _raw.Values)
        {
            statement.Dispose();
        }

        _raw.Clear();
        Connection.Dispose();
    }
}
