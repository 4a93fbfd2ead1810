using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>A roster item's groups as a JSON array of strings in roster_items.groups; NULL when there are none.</summary>
internal static class RosterGroupsColumn
{
    public static string? Encode(IReadOnlyList<string> groups)
    {
        if (groups.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var group in groups)
            {
                writer.WriteStringValue(group);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<string> Decode(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var groups = new List<string>(2);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    groups.Add(reader.GetString()!);
                    break;
                case JsonTokenType.StartArray when reader.CurrentDepth == 0:
                case JsonTokenType.EndArray when reader.CurrentDepth == 0:
                    break;
                default:
                    throw new InvalidDataException($"roster_items.groups is not a JSON array of strings: {json}");
            }
        }

        return groups;
    }
}
