using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Converge.Storage.Sqlite;

/// <summary>
/// A statement prepared once on a session and run straight through SQLite's C API: binding a value
/// is one native call with no boxing, a text is encoded into the session's reused buffer, and a step
/// creates no reader object. For the writer's hot statements (transaction control, the archive insert),
/// which run for every row of every batch; everything else keeps using <see cref="SqliteSession.Command"/>.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly SqliteTextBuffer _text;

    public SqliteRawStatement(sqlite3 db, string sql, SqliteTextBuffer text)
    {
        _db = db;
        _text = text;
        var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>The 1-based index of a named parameter; look it up once and keep it.</summary>
    public int Parameter(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        return index > 0 ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    public SqliteRawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public SqliteRawStatement Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public SqliteRawStatement Bind(int index, string? value)
    {
        // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer is free again at once.
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, _text.Encode(value)));
        return this;
    }

    /// <summary>Runs the statement to its end (it returns no rows) and makes it ready for the next run.</summary>
    public void Run()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose() => _statement.Dispose();
}
