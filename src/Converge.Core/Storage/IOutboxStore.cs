namespace Converge.Core.Storage;

/// <summary>
/// One message waiting to leave through a legacy channel (SMS, email). <see cref="Id"/> grows with
/// every enqueue, so ordering by it is the order the sender sent in.
/// </summary>
/// <param name="Id">Monotonic id.</param>
/// <param name="Lane">The ordering key: items of one lane (one sender to one recipient) leave strictly in id order.</param>
/// <param name="Channel">SMS or email.</param>
/// <param name="Payload">The adapter's serialized message (JSON).</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="NextAttempt">Not before this time.</param>
public sealed record OutboxItem(long Id, string Lane, OutboxChannel Channel, string Payload, int Attempts, DateTimeOffset NextAttempt, DateTimeOffset Created);

/// <summary>The durable, ordered outbox of the interworking function.</summary>
public interface IOutboxStore
{
    /// <summary>Stores durably (grouped commit) and returns the new id. Only then may the message be acknowledged.</summary>
    Task<long> EnqueueAsync(string lane, OutboxChannel channel, string payload, DateTimeOffset created, CancellationToken cancellationToken = default);

    /// <summary>Every item not yet completed, in id order (used at start-up to resume, and by the dispatcher).</summary>
    Task<IReadOnlyList<OutboxItem>> PendingAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The oldest item of each lane of <paramref name="channel"/> that is due by <paramref name="dueBy"/>,
    /// in id order, at most <paramref name="max"/>: what the dispatcher may send next. A lane whose
    /// head is not due yet is left out (its later items wait behind it). Reads one row per lane,
    /// however many items wait behind the heads.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> LaneHeadsAsync(OutboxChannel channel, DateTimeOffset dueBy, int max, CancellationToken cancellationToken = default);

    /// <summary>The item left (or failed for good and was reported): delete it.</summary>
    Task CompleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>A transient failure: remember the attempt and when to try again.</summary>
    Task RescheduleAsync(long id, int attempts, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default);

    /// <summary>The lanes with waiting items, oldest first, at most <paramref name="max"/>; all channels when <paramref name="channel"/> is null.</summary>
    Task<IReadOnlyList<OutboxLane>> LanesAsync(OutboxChannel? channel, int max, CancellationToken cancellationToken = default);

    /// <summary>Per channel with waiting items: depth, lanes, oldest (one aggregate query; for gauges and summaries).</summary>
    Task<IReadOnlyList<OutboxChannelTotals>> TotalsAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes every item of <paramref name="lane"/> due at <paramref name="now"/> (an operator's retry); returns how many.</summary>
    Task<int> RetryLaneAsync(string lane, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes every waiting item of <paramref name="lane"/> (an operator's drop); returns how many.</summary>
    Task<int> DropLaneAsync(string lane, CancellationToken cancellationToken = default);
}
