using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite;

/// <summary>Opens connections with the pragmas every connection of this store needs.</summary>
internal static class SqliteConnectionFactory
{
    static SqliteConnectionFactory() => SQLitePCL.Batteries_V2.Init();

    public static SqliteSession OpenWriter(string path, SqliteStoreOptions options)
    {
        var session = Open(path, SqliteOpenMode.ReadWriteCreate, options);
        try
        {
            // WAL lets readers run beside the writer and makes a commit one append to the log.
            var mode = Convert.ToString(session.ExecuteScalarOnce("PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The database '{path}' cannot use write-ahead logging (journal_mode is '{mode}'); put it on a local file system.");
            }

            session.ExecuteOnce(options.SynchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            session.ExecuteOnce("PRAGMA foreign_keys = ON");
            session.ExecuteOnce(Pragma("cache_size", -(long)options.WriterCacheKiB));
            session.ExecuteOnce(Pragma("wal_autocheckpoint", options.CheckpointPages));

            // Each grouped write runs under its own savepoint, and SQLite keeps the pages a savepoint
            // may have to restore in a sub-journal: a temporary file in /tmp by default, written for
            // every page every operation touches. In memory it is a copy instead of two system calls.
            session.ExecuteOnce("PRAGMA temp_store = MEMORY");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A connection that only runs checkpoints: it writes the database file, never the tables.</summary>
    public static SqliteSession OpenCheckpointer(string path, SqliteStoreOptions options) => Open(path, SqliteOpenMode.ReadWrite, options);

    public static SqliteSession OpenReader(string path, SqliteStoreOptions options)
    {
        var session = Open(path, SqliteOpenMode.ReadWrite, options);
        try
        {
            // A reader that writes would bypass the grouped commit and race the writer for the lock.
            session.ExecuteOnce("PRAGMA query_only = ON");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static SqliteSession Open(string path, SqliteOpenMode mode, SqliteStoreOptions options)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Cache = SqliteCacheMode.Private,

            // Connections live as long as the store; pooling would only keep the file open after dispose.
            Pooling = false,

            // Microsoft.Data.Sqlite retries busy statements until the command timeout; keep it near busy_timeout.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };

        var connection = new SqliteConnection(builder.ToString());
        var session = new SqliteSession(connection);
        try
        {
            connection.Open();
            var busyMilliseconds = (long)options.BusyTimeout.TotalMilliseconds;
            session.ExecuteOnce(Pragma("busy_timeout", busyMilliseconds));
            session.ExecuteOnce(Pragma("mmap_size", options.MemoryMapMiB * 1024L * 1024L));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static string Pragma(string name, long value) =>
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA {name} = {value}");
}
