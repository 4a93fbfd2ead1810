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
