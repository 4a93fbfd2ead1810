using System.Text.Json;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>Outcome of one attempt to hand a message to its legacy network.</summary>
public enum SendOutcome
{
    Sent,

    /// <summary>Try again later (SMSC down, throttled, queue full); the lane waits, order is kept.</summary>
    Transient,

    /// <summary>Will never work; the sender is told why.</summary>
    Permanent,
}

/// <summary>
/// Drains the durable outbox. Items of one lane (one sender to one recipient) go strictly in order:
/// only a lane's oldest item is ever in flight, and a transient failure holds the lane back rather
/// than letting a later message overtake. Different lanes proceed in parallel. After a restart the
/// outbox is simply read again from the start, so nothing accepted is lost. On a cluster node the
/// outbox is shared: a lane is sent only while this node holds its lease (<see cref="OutboxLaneOwnership"/>).
/// </summary>
internal sealed partial class OutboxDispatcher(
    IOutboxStore store,
    OutboxChannel channel,
    Func<OutboxItem, OutboxEnvelope, CancellationToken, Task<(SendOutcome Outcome, string? Reason)>> send,
    Func<OutboxEnvelope, string, CancellationToken, ValueTask> reportFailure,
    InterworkingSettings settings,
    ILogger logger,
    TimeProvider time,
    OutboxLaneOwnership? ownership = null)
{
    // Lanes with an item in flight. Each lane waits for its previous item's completion to commit
    // before the next goes, so many lanes are needed to keep the SMPP window (Sms.Window) full.
    private const int MaxInFlight = 256;

    // At most one wake-up pending: a pass reads the outbox, so a thousand items stored during one
    // pass must cost one more pass, not a thousand.
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly HashSet<string> _busyLanes = new(StringComparer.Ordinal);

    // The outbox is read as a snapshot while sends finish: an item finished (or rescheduled) after
    // the snapshot was taken must not look due again. Per lane: the highest id finished, and a
    // rescheduled head's id with its next attempt. Guarded by _gate.
    private readonly Dictionary<string, long> _finishedUpTo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, DateTimeOffset NotBefore)> _retryAt = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>A new item was stored: look at the outbox now rather than at the next tick.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(cancellationToken).ConfigureAwait(false);
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(logger, e);
                try
                {
                    await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (ownership is not null)
        {
            await ownership.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        // Only the due head of each lane is a candidate; later items wait for it, whatever their time.
        // The oldest heads include the lanes in flight; beyond them, no more than the free slots
        // (and a margin for heads this snapshot still shows although they just left) can be sent.
        int busy;
        lock (_gate)
        {
            busy = _busyLanes.Count;
        }

        var now = time.GetUtcNow();
        var heads = await store.LaneHeadsAsync(channel, now, busy + (2 * MaxInFlight), cancellationToken).ConfigureAwait(false);
        var ours = ownership is null ? null : await LanesOursAsync(ownership, heads, cancellationToken).ConfigureAwait(false);
        foreach (var item in heads)
        {
            if (ours is not null && !ours.Contains(item.Lane))
            {
                continue;
            }

            lock (_gate)
            {
                if ((_finishedUpTo.TryGetValue(item.Lane, out var finished) && item.Id <= finished)
                    || (_retryAt.TryGetValue(item.Lane, out var retry) && retry.Id == item.Id && now < retry.NotBefore)
                    || _busyLanes.Count >= MaxInFlight || !_busyLanes.Add(item.Lane))
                {
                    continue;
                }
            }

            _ = Task.Run(() => SendOneAsync(item, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>The lanes of <paramref name="heads"/> this cluster node may send now; the leases of lanes in flight here are kept.</summary>
    private async Task<HashSet<string>> LanesOursAsync(OutboxLaneOwnership lanes, IReadOnlyList<OutboxItem> heads, CancellationToken cancellationToken)
    {
        string[] sending;
        lock (_gate)
        {
            sending = [.. _busyLanes];
        }

        var ours = await lanes.SendableAsync(heads.Select(h => h.Lane), sending, cancellationToken).ConfigureAwait(false);
        if (lanes.ReadAgain)
        {
            Wake();
        }

        return ours;
    }

    private async Task SendOneAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(item.Payload, OutboxJson.Default.OutboxEnvelope);
            if (envelope is null)
            {
                await store.CompleteAsync(item.Id, cancellationToken).ConfigureAwait(false);
                return;
            }

            var (outcome, reason) = await send(item, envelope, cancellationToken).ConfigureAwait(false);
            if (outcome == SendOutcome.Transient && time.GetUtcNow() - item.Created > settings.GiveUpAfter)
            {
                outcome = SendOutcome.Permanent;
                reason = $"still failing after {settings.GiveUpAfter}: {reason}";
            }

            switch (outcome)
            {
                case SendOutcome.Sent:
                    Diagnostics.InterworkingMetrics.Submitted(channel);
                    Finished(item);
                    await store.CompleteAsync(item.Id, cancellationToken).ConfigureAwait(false);
                    break;
                case SendOutcome.Transient:
                    var delay = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.FirstRetryDelay.Ticks << Math.Min(item.Attempts, 20)));
                    LogRetrying(logger, item.Id, item.Lane, delay, reason ?? "");
                    Diagnostics.InterworkingMetrics.Retried(channel);
                    var notBefore = time.GetUtcNow() + delay;
                    lock (_gate)
                    {
                        _retryAt[item.Lane] = (item.Id, notBefore);
                    }

                    await store.RescheduleAsync(item.Id, item.Attempts + 1, notBefore, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    LogGaveUp(logger, item.Id, item.Lane, reason ?? "");
                    Diagnostics.InterworkingMetrics.GaveUp(channel);
                    Finished(item);
                    await reportFailure(envelope, reason ?? "delivery failed", cancellationToken).ConfigureAwait(false);
                    await store.CompleteAsync(item.Id, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // A completion that did not commit leaves its item the lane's head: it must be offered
            // again (its stored part ids keep the SMSC from getting it twice), not skipped as finished.
            LogDispatchFailed(logger, e);
            lock (_gate)
            {
                _finishedUpTo.Remove(item.Lane);
            }
        }
        finally
        {
            lock (_gate)
            {
                _busyLanes.Remove(item.Lane);
            }

            Wake();
        }
    }

    /// <summary>
    /// An operator made <paramref name="lane"/> due now (the store was updated first): forget the
    /// back-off this dispatcher holds for its head, and look at the outbox at once.
    /// </summary>
    public void RetryNow(string lane)
    {
        lock (_gate)
        {
            _retryAt.Remove(lane);
        }

        Wake();
    }

    private void Finished(OutboxItem item)
    {
        lock (_gate)
        {
            _finishedUpTo[item.Lane] = item.Id;
            _retryAt.Remove(item.Lane);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Outbox item {Id} ({Lane}) failed for now, retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, long id, string lane, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Outbox item {Id} ({Lane}) cannot be delivered, the sender is told: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, long id, string lane, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "The outbox dispatcher hit an error")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
