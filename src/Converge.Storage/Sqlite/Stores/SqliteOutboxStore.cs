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
}
