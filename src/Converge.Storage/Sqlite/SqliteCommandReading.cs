using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite;

/// <summary>Runs a query and maps its rows with a mapper both providers share (<see cref="Rows.InterworkingRows"/>).</summary>
internal static class SqliteCommandReading
{
    public static List<T> ReadAll<T>(this SqliteCommand command, Func<DbDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static T? ReadFirst<T>(this SqliteCommand command, Func<DbDataReader, T> map)
        where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }
}
