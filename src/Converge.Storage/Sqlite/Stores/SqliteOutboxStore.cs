using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// The interworking function's outbox. EnqueueAsync completes only after the grouped commit that
/// holds the item; the single writer assigns ids in the order writes were queued, so id order is
/// the order of sending.
/// </summary>
internal sealed class SqliteOutboxStore(SqliteWriter writer, SqliteReaderPool readers) : IOutboxStore
{
    private const string Insert = """
        INSERT INTO outbox (lane, channel, payload, attempts, next_attempt, created)
        VALUES ($lane, $channel, $payload, 0, $created, $created)
        """;

    // The subquery walks only the (channel, lane, id) index; payloads are read for the heads alone.
    private const string SelectLaneHeads = """
        SELECT id, lane, channel, payload, attempts, next_attempt, created FROM outbox
        WHERE id IN (SELECT MIN(id) FROM outbox WHERE channel = $channel GROUP BY lane) AND next_attempt <= $due
        ORDER BY id LIMIT $max
        """;

    private const string SelectPending =
        "SELECT id, lane, channel, payload, attempts, next_attempt, created FROM outbox ORDER BY id LIMIT $max";

    private const string Delete = "DELETE FROM outbox WHERE id = $id";

    // Per lane: depth, oldest, and the head's attempts and next attempt (the head is the lane's lowest id).
    private const string SelectLanes = """
        SELECT o.lane, o.channel, l.depth, l.oldest, o.attempts, o.next_attempt FROM outbox o
        JOIN (SELECT lane, MIN(id) AS head, COUNT(*) AS depth, MIN(created) AS oldest FROM outbox
              WHERE $channel IS NULL OR channel = $channel GROUP BY lane) l ON o.id = l.head
        ORDER BY l.oldest, o.lane LIMIT $max
        """;

    private const string SelectTotals =
        "SELECT channel, COUNT(*), COUNT(DISTINCT lane), MIN(created) FROM outbox GROUP BY channel";

    private const string RetryLane = "UPDATE outbox SET next_attempt = $now WHERE lane = $lane AND next_attempt > $now";

    private const string DropLane = "DELETE FROM outbox WHERE lane = $lane";

    private const string UpdateAttempt = "UPDATE outbox SET attempts = $attempts, next_attempt = $next_attempt WHERE id = $id";

    public Task<long> EnqueueAsync(
        string lane, OutboxChannel channel, string payload, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(payload);
        return writer.WriteAsync(
            static (s, item) =>
            {
                s.Command(Insert)
                    .Bind("$lane", item.Lane)
                    .Bind("$channel", item.Channel)
                    .Bind("$payload", item.Payload)
                    .Bind("$created", item.Created)
                    .ExecuteNonQuery();
                return s.LastInsertRowId;
            },
            (Lane: lane, Channel: OutboxChannelColumn.ToText(channel), Payload: payload, Created: created.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxItem>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        Read(SelectPending, null, 0, max, cancellationToken);

    public Task<IReadOnlyList<OutboxItem>> LaneHeadsAsync(OutboxChannel channel, DateTimeOffset dueBy, int max, CancellationToken cancellationToken = default) =>
        Read(SelectLaneHeads, OutboxChannelColumn.ToText(channel), dueBy.ToUnixTimeMilliseconds(), max, cancellationToken);

    private Task<IReadOnlyList<OutboxItem>> Read(string sql, string? channel, long due, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return Task.FromResult<IReadOnlyList<OutboxItem>>([]);
        }

        return readers.ReadAsync<(string Sql, string? Channel, long Due, int Max), IReadOnlyList<OutboxItem>>(
            static (s, q) =>
            {
                var command = s.Command(q.Sql).Bind("$max", q.Max);
                if (q.Channel is not null)
                {
                    command.Bind("$channel", q.Channel).Bind("$due", q.Due);
                }

                using var reader = command.ExecuteReader();
                var items = new List<OutboxItem>();
                while (reader.Read())
                {
                    items.Add(new OutboxItem(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        OutboxChannelColumn.Parse(reader.GetString(2)),
                        reader.GetString(3),
                        reader.GetInt32(4),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
                }

                return items;
            },
            (sql, channel, due, max),
            cancellationToken);
    }

    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(static (s, id) => s.Command(Delete).Bind("$id", id).ExecuteNonQuery(), id, cancellationToken);

    public Task RescheduleAsync(long id, int attempts, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        return writer.WriteAsync(
            static (s, change) => s.Command(UpdateAttempt)
                .Bind("$id", change.Id)
                .Bind("$attempts", change.Attempts)
                .Bind("$next_attempt", change.NextAttempt)
                .ExecuteNonQuery(),
            (Id: id, Attempts: attempts, NextAttempt: nextAttempt.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxLane>> LanesAsync(OutboxChannel? channel, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return readers.ReadAsync<(string? Channel, int Max), IReadOnlyList<OutboxLane>>(
            static (s, q) =>
            {
                using var reader = s.Command(SelectLanes).Bind("$channel", q.Channel).Bind("$max", q.Max).ExecuteReader();
                var lanes = new List<OutboxLane>();
                while (reader.Read())
                {
                    lanes.Add(new OutboxLane(
                        reader.GetString(0),
                        OutboxChannelColumn.Parse(reader.GetString(1)),
                        reader.GetInt32(2),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                        reader.GetInt32(4),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
                }

                return lanes;
            },
            (channel is { } c ? OutboxChannelColumn.ToText(c) : null, max),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxChannelTotals>> TotalsAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync<int, IReadOnlyList<OutboxChannelTotals>>(
            static (s, _) =>
            {
                using var reader = s.Command(SelectTotals).ExecuteReader();
                var totals = new List<OutboxChannelTotals>();
                while (reader.Read())
                {
                    totals.Add(new OutboxChannelTotals(
                        OutboxChannelColumn.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
                }

                return totals;
            },
            0,
            cancellationToken);

    public Task<int> RetryLaneAsync(string lane, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return writer.WriteAsync(
            static (s, q) => s.Command(RetryLane).Bind("$lane", q.Lane).Bind("$now", q.Now).ExecuteNonQuery(),
            (Lane: lane, Now: now.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public Task<int> DropLaneAsync(string lane, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return writer.WriteAsync(static (s, lane) => s.Command(DropLane).Bind("$lane", lane).ExecuteNonQuery(), lane, cancellationToken);
    }
}
