using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// The interworking function's outbox. EnqueueAsync completes only after the grouped commit that holds
/// the item; within a process the single writer takes ids in the order writes were queued.
/// </summary>
internal sealed class PostgresOutboxStore(PostgresWriter writer, PostgresReader reader) : IOutboxStore
{
    private const string Columns = "id, lane, channel, payload, attempts, next_attempt, created";

    private const string Insert = """
        INSERT INTO outbox (lane, channel, payload, attempts, next_attempt, created) VALUES ($1, $2, $3, 0, $4, $4) RETURNING id
        """;

    // The subquery walks only the (channel, lane, id) index; payloads are read for the heads alone.
    private const string SelectLaneHeads = $"""
        SELECT {Columns} FROM outbox
        WHERE id IN (SELECT MIN(id) FROM outbox WHERE channel = $1 GROUP BY lane) AND next_attempt <= $2
        ORDER BY id LIMIT $3
        """;

    private const string SelectPending = $"SELECT {Columns} FROM outbox ORDER BY id LIMIT $1";

    private const string Delete = "DELETE FROM outbox WHERE id = $1";

    private const string UpdateAttempt = "UPDATE outbox SET attempts = $2, next_attempt = $3 WHERE id = $1";

    // Per lane: depth, oldest, and the head's attempts and next attempt (the head is the lane's lowest id).
    // The cast: a null parameter has no type of its own.
    private const string SelectLanes = """
        SELECT o.lane, o.channel, l.depth, l.oldest, o.attempts, o.next_attempt FROM outbox o
        JOIN (SELECT lane, MIN(id) AS head, COUNT(*) AS depth, MIN(created) AS oldest FROM outbox
              WHERE $1::text IS NULL OR channel = $1::text GROUP BY lane) l ON o.id = l.head
        ORDER BY l.oldest, o.lane LIMIT $2
        """;

    private const string SelectTotals =
        "SELECT channel, COUNT(*), COUNT(DISTINCT lane), MIN(created) FROM outbox GROUP BY channel";

    private const string RetryLane = "UPDATE outbox SET next_attempt = $2 WHERE lane = $1 AND next_attempt > $2";

    private const string DropLane = "DELETE FROM outbox WHERE lane = $1";

    public Task<long> EnqueueAsync(string lane, OutboxChannel channel, string payload, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(payload);
        return writer.WriteAsync(
            [PostgresStatement.Query(Insert, lane, OutboxChannelColumn.ToText(channel), payload, created.ToUnixTimeMilliseconds())],
            static r => (long)r[0].Scalar!,
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxItem>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        ReadAsync(new(SelectPending, (long)Math.Max(0, max)), max, cancellationToken);

    public Task<IReadOnlyList<OutboxItem>> LaneHeadsAsync(OutboxChannel channel, DateTimeOffset dueBy, int max, CancellationToken cancellationToken = default) =>
        ReadAsync(new(SelectLaneHeads, OutboxChannelColumn.ToText(channel), dueBy.ToUnixTimeMilliseconds(), (long)Math.Max(0, max)), max, cancellationToken);

    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(new PostgresStatement(Delete, id), cancellationToken);

    public Task RescheduleAsync(long id, int attempts, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        return writer.WriteAsync(new PostgresStatement(UpdateAttempt, id, attempts, nextAttempt.ToUnixTimeMilliseconds()), cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxLane>> LanesAsync(OutboxChannel? channel, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return await reader.ListAsync(
            new(SelectLanes, channel is { } c ? OutboxChannelColumn.ToText(c) : null, (long)max),
            static r => new OutboxLane(
                r.GetString(0),
                OutboxChannelColumn.Parse(r.GetString(1)),
                (int)r.GetInt64(2),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                r.GetInt32(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxChannelTotals>> TotalsAsync(CancellationToken cancellationToken = default) =>
        await reader.ListAsync(
            new(SelectTotals),
            static r => new OutboxChannelTotals(
                OutboxChannelColumn.Parse(r.GetString(0)), r.GetInt64(1), (int)r.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);

    public Task<int> RetryLaneAsync(string lane, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return writer.WriteAsync(new PostgresStatement(RetryLane, lane, now.ToUnixTimeMilliseconds()), cancellationToken);
    }

    public Task<int> DropLaneAsync(string lane, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return writer.WriteAsync(new PostgresStatement(DropLane, lane), cancellationToken);
    }

    private async Task<IReadOnlyList<OutboxItem>> ReadAsync(PostgresStatement statement, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }

        return await reader.ListAsync(statement, Read, cancellationToken).ConfigureAwait(false);
    }

    private static OutboxItem Read(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        OutboxChannelColumn.Parse(r.GetString(2)),
        r.GetString(3),
        r.GetInt32(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
}
