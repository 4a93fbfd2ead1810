using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Messages held for offline users. StoreAsync completes only after the grouped commit that
/// holds the message, which is what lets the router acknowledge it.
/// </summary>
internal sealed class SqliteOfflineStore(SqliteWriter writer, SqliteReaderPool readers) : IOfflineStore
{
    private const string Insert = "INSERT INTO offline_messages (owner, stored, xml) VALUES ($owner, $stored, $xml)";

    private const string SelectOldest =
        "SELECT id, stored, xml FROM offline_messages WHERE owner = $owner ORDER BY id LIMIT $max";

    private const string Delete = "DELETE FROM offline_messages WHERE owner = $owner AND id = $id";

    private const string Count = "SELECT COUNT(*) FROM offline_messages WHERE owner = $owner";

    public Task<long> StoreAsync(Jid owner, DateTimeOffset stored, string stanzaXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(stanzaXml);
        return writer.WriteAsync(
            static (s, message) =>
            {
                s.Command(Insert)
                    .Bind("$owner", message.Owner)
                    .Bind("$stored", message.Stored)
                    .Bind("$xml", message.Xml)
                    .ExecuteNonQuery();
                return s.LastInsertRowId;
            },
            (Owner: owner.Bare.ToString(), Stored: stored.ToUnixTimeMilliseconds(), Xml: stanzaXml),
            cancellationToken);
    }

    public Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(Jid owner, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return Task.FromResult<IReadOnlyList<OfflineMessage>>([]);
        }

        return readers.ReadAsync<(Jid Owner, int Max), IReadOnlyList<OfflineMessage>>(
            static (s, query) =>
            {
                using var reader = s.Command(SelectOldest)
                    .Bind("$owner", query.Owner.ToString())
                    .Bind("$max", query.Max)
                    .ExecuteReader();
                var messages = new List<OfflineMessage>();
                while (reader.Read())
                {
                    messages.Add(new OfflineMessage(
                        reader.GetInt64(0),
                        query.Owner,
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                        reader.GetString(2)));
                }

                return messages;
            },
            (owner.Bare, max),
            cancellationToken);
    }

    public Task RemoveAsync(Jid owner, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        return writer.WriteAsync(
            static (s, removal) =>
            {
                var command = s.Command(Delete).Bind("$owner", removal.Owner);
                var removed = 0;
                foreach (var id in removal.Ids)
                {
                    removed += command.Bind("$id", id).ExecuteNonQuery();
                }

                return removed;
            },
            (Owner: owner.Bare.ToString(), Ids: ids),
            cancellationToken);
    }

    public Task<int> CountAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(
            static (s, owner) => Convert.ToInt32(s.Command(Count).Bind("$owner", owner).ExecuteScalar(), CultureInfo.InvariantCulture),
            owner.Bare.ToString(),
            cancellationToken);
    }
}
