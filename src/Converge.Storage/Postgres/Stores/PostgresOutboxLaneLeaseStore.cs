using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// Outbox lane leases in one table (outbox_lane_leases). Taking and renewing is one upsert whose
/// conflict branch only fires for the node's own row or a lapsed one, so two nodes asking for one
/// lane at once cannot both get it: the row lock orders them and the second sees the first's lease.
/// These statements bypass the grouped writer: a lease is not a user's write to make durable before
/// an acknowledgement, and it must not wait behind a batch of them.
/// </summary>
internal sealed class PostgresOutboxLaneLeaseStore(PostgresReader reader) : IOutboxLaneLeaseStore
{
    // Rows are locked in the order of the array (WITH ORDINALITY): callers pass lanes sorted, so two
    // nodes asking for overlapping lanes take the locks in the same order and never deadlock.
    private const string Take = """
        INSERT INTO outbox_lane_leases AS l (channel, lane, node, expires)
        SELECT $2, t.lane, $1, now() + $4 * interval '1 millisecond'
        FROM unnest($3::text[]) WITH ORDINALITY AS t(lane, n) ORDER BY t.n
        ON CONFLICT (channel, lane) DO UPDATE SET node = EXCLUDED.node, expires = EXCLUDED.expires
        WHERE l.node = EXCLUDED.node OR l.expires < now()
        RETURNING l.lane
        """;

    private const string Release = "DELETE FROM outbox_lane_leases WHERE node = $1 AND channel = $2";

    private const string ForgetLapsed = "DELETE FROM outbox_lane_leases WHERE expires < now()";

    public async Task<IReadOnlyList<string>> TakeAsync(string node, OutboxChannel channel, IReadOnlyCollection<string> lanes, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (lanes.Count == 0)
        {
            return [];
        }

        var sorted = lanes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return await reader.ListAsync(
            new(Take, node, OutboxChannelColumn.ToText(channel), sorted, (long)duration.TotalMilliseconds),
            static r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ReleaseAsync(string node, OutboxChannel channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        return await reader.ExecuteAsync(new(Release, node, OutboxChannelColumn.ToText(channel)), cancellationToken).ConfigureAwait(false);
    }

    public Task<int> ForgetLapsedAsync(CancellationToken cancellationToken = default) =>
        reader.ExecuteAsync(new(ForgetLapsed), cancellationToken);
}
