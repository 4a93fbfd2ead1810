using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite;

/// <summary>Sets a cached command's parameters, creating each parameter on first use.</summary>
internal static class SqliteCommandBinding
{
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
