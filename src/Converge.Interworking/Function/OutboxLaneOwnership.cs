using Converge.Core.Storage;
using Microsoft.Extensions.Logging;
using System.Data.Common;

namespace Converge.Interworking.Function;

/// <summary>
/// A cluster node's share of the outbox: which lanes it may send now. Each lane is sent by the node
/// holding its lease (<see cref="IOutboxLaneLeaseStore"/>), so the SMS of one sender to one number
/// leave in order whichever node stored them; a node renews the leases of the lanes it is sending
/// and lets the others lapse, and takes the lanes whose lease lapsed - those of a node that died or
/// stopped. A node alone has no ownership and pays for none of this.
/// <para>
/// Every decision leaves a margin for the gap between this process's clock and the database's: a
/// lease counts as held until <see cref="Duration"/> after the statement was *sent* (the database
/// started it later, so its expiry is later still); a head is sent only while at least half the
/// lease is left; a lease is renewed once a quarter of it has passed. A node stalled longer than
/// half a lease (a pause, a lost database) may still finish a send it began; the node that took
/// the lane over then sends that head again - the at-least-once case of docs/durability.md.
/// </para>
/// </summary>
internal sealed partial class OutboxLaneOwnership(
    IOutboxLaneLeaseStore leases, string node, OutboxChannel channel, TimeSpan duration, ILogger logger, TimeProvider time)
{
    // A lapsed lease is worth nothing; removing such rows now and then only keeps the table small.
    private static readonly TimeSpan ForgetEvery = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, DateTimeOffset> _heldUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _askAgainAt = new(StringComparer.Ordinal);
    private DateTimeOffset _forgetAt = time.GetUtcNow() + ForgetEvery;

    /// <summary>How long a lease lasts unless renewed (Cluster.OutboxLaneLease): how long a dead node's lanes wait.</summary>
    public TimeSpan Duration => duration;

    // A lane held by another node is asked for again after this long, so a lapsed lease is taken
    // over soon after it lapses without a statement on every pass of the dispatcher.
    private TimeSpan AskAgainAfter => TimeSpan.FromTicks(Math.Min(duration.Ticks / 4, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>
    /// Of <paramref name="due"/> (lanes whose head is due), the lanes this node may start sending now;
    /// <paramref name="sending"/> (lanes with a head in flight here) keep their leases. At most one
    /// statement, and none while every lease held is fresh and no new lane is due. A lane taken by
    /// this very call is not among those returned: the heads were read before it was ours, so the
    /// next pass reads them again (<see cref="ReadAgain"/> is set).
    /// </summary>
    public async Task<HashSet<string>> SendableAsync(IEnumerable<string> due, IReadOnlyCollection<string> sending, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueLanes = due as IReadOnlyCollection<string> ?? [.. due];
        // A head in flight here is also among the due heads the dispatcher read: ask once per lane.
        var ask = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lane in dueLanes.Concat(sending))
        {
            if (_heldUntil.TryGetValue(lane, out var until)
                ? until - now < duration * 0.75
                : !_askAgainAt.TryGetValue(lane, out var again) || now >= again)
            {
                ask.Add(lane);
            }
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (ask.Count > 0)
        {
            await AskAsync(ask, now, taken, sending, cancellationToken).ConfigureAwait(false);
        }

        if (now >= _forgetAt)
        {
            _forgetAt = now + ForgetEvery;
            Prune(now);
            await ForgetLapsedAsync(cancellationToken).ConfigureAwait(false);
        }

        var sendable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lane in dueLanes)
        {
            if (!taken.Contains(lane) && _heldUntil.TryGetValue(lane, out var until) && until - now >= duration / 2)
            {
                sendable.Add(lane);
            }
        }

        ReadAgain = taken.Count > 0;
        return sendable;
    }

    /// <summary>Set by <see cref="SendableAsync"/> when it took a lane whose heads must be read again.</summary>
    public bool ReadAgain { get; private set; }

    /// <summary>Gives up this node's leases (stopping): the other nodes take its lanes at once rather than after a lease.</summary>
    public async Task ReleaseAsync()
    {
        _heldUntil.Clear();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var released = await leases.ReleaseAsync(node, channel, timeout.Token).ConfigureAwait(false);
            LogReleased(logger, released, channel);
        }
        catch (Exception e) when (e is OperationCanceledException or DbException or InvalidOperationException or TimeoutException)
        {
            // They lapse by themselves.
            LogReleaseFailed(logger, channel, e.Message);
        }
    }

    private async Task AskAsync(HashSet<string> ask, DateTimeOffset now, HashSet<string> taken, IReadOnlyCollection<string> sending, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> held;
        try
        {
            held = await leases.TakeAsync(node, channel, ask, duration, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Database unreachable, or two nodes' statements deadlocked: what this node held stays held
            // until its own deadline (the database cannot have given it away before), nothing new is taken.
            LogLeaseStatementFailed(logger, channel, e.Message);
            return;
        }

        var holds = new HashSet<string>(held, StringComparer.Ordinal);
        foreach (var lane in ask)
        {
            if (holds.Contains(lane))
            {
                if (_heldUntil.TryAdd(lane, now + duration))
                {
                    taken.Add(lane);
                    _askAgainAt.Remove(lane);
                    LogTook(logger, lane, channel);
                }
                else
                {
                    _heldUntil[lane] = now + duration;
                }

                continue;
            }

            if (_heldUntil.Remove(lane) && sending.Contains(lane))
            {
                // Another node took a lane this one is sending: it was stalled past its lease.
                LogLostWhileSending(logger, lane, channel);
            }

            _askAgainAt[lane] = now + AskAgainAfter;
        }
    }

    /// <summary>Forgets lanes whose lease here ran out and refusals past their time: lanes no longer due leave no trace.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (lane, until) in _heldUntil.ToArray())
        {
            if (until <= now)
            {
                _heldUntil.Remove(lane);
            }
        }

        foreach (var (lane, at) in _askAgainAt.ToArray())
        {
            if (at <= now)
            {
                _askAgainAt.Remove(lane);
            }
        }
    }

    private async Task ForgetLapsedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await leases.ForgetLapsedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogLeaseStatementFailed(logger, channel, e.Message);
        }
    }

    [LoggerMessage(EventId = 5350, Level = LogLevel.Debug, Message = "Outbox lane {Lane} ({Channel}) is this node's now")]
    private static partial void LogTook(ILogger logger, string lane, OutboxChannel channel);

    [LoggerMessage(EventId = 5351, Level = LogLevel.Warning, Message = "Outbox lane {Lane} ({Channel}) was taken by another node while this one was sending its head (this node was stalled past its lease); the head may reach its recipient twice")]
    private static partial void LogLostWhileSending(ILogger logger, string lane, OutboxChannel channel);

    [LoggerMessage(EventId = 5352, Level = LogLevel.Warning, Message = "Outbox lane leases ({Channel}) could not be taken or renewed: {Reason}")]
    private static partial void LogLeaseStatementFailed(ILogger logger, OutboxChannel channel, string reason);

    [LoggerMessage(EventId = 5353, Level = LogLevel.Information, Message = "Released {Count} outbox lane lease(s) ({Channel}) on stopping")]
    private static partial void LogReleased(ILogger logger, int count, OutboxChannel channel);

    [LoggerMessage(EventId = 5354, Level = LogLevel.Warning, Message = "Outbox lane leases ({Channel}) could not be released on stopping; they lapse by themselves: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, OutboxChannel channel, string reason);
}
