using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Messages held for offline users; StoreAsync completes only after the grouped commit that holds the message.</summary>
internal sealed class PostgresOfflineStore(PostgresWriter writer, PostgresReader reader) : IOfflineStore
{
    private const string Insert = "INSERT INTO offline_messages (owner, stored, xml) VALUES ($1, $2, $3) RETURNING id";

    private const string SelectOldest = "SELECT id, stored, xml FROM offline_messages WHERE owner = $1 ORDER BY id LIMIT $2";

    private const string Delete = "DELETE FROM offline_messages WHERE owner = $1 AND id = ANY ($2)";

    private const string Count = "SELECT count(*) FROM offline_messages WHERE owner = $1";

    public Task<long> StoreAsync(Jid owner, DateTimeOffset stored, string stanzaXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(stanzaXml);
        return writer.WriteAsync(
            [PostgresStatement.Query(Insert, owner.Bare.ToString(), stored.ToUnixTimeMilliseconds(), stanzaXml)],
            static r => (long)r[0].Scalar!,
            cancellationToken);
    }

    public async Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(Jid owner, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }

        var bare = owner.Bare;
        return await reader.ListAsync(
            new(SelectOldest, bare.ToString(), (long)max),
            r => new OfflineMessage(r.GetInt64(0), bare, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2)),
            cancellationToken).ConfigureAwait(false);
    }

    public Task RemoveAsync(Jid owner, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count == 0
            ? Task.CompletedTask
            : writer.WriteAsync(new PostgresStatement(Delete, owner.Bare.ToString(), ids.ToArray()), cancellationToken);
    }

    public async Task<int> CountAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return (int)(long)(await reader.ScalarAsync(new(Count, owner.Bare.ToString()), cancellationToken).ConfigureAwait(false))!;
    }
}
