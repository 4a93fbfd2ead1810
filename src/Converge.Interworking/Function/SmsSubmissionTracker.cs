using System.Text.Json;
using Converge.Core.Storage;
using Converge.Interworking.Sms;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>
/// The stored progress of every SMS submission, part by part (issue 15, item 4). Each part is
/// recorded as "being submitted" before its submit_sm is written and given its message id once the
/// SMSC acknowledged it; the rows stay for Sms.ReportTracking, reported or not, so:
/// <list type="bullet">
/// <item>a submission resumed after a crash sends only the parts the SMSC has not acknowledged, with
/// the same concatenation reference;</item>
/// <item>a delivery report after a restart still finds its part, and the CPM user's receipt comes once
/// every part is delivered;</item>
/// <item>a part whose submit_sm_resp was lost (crash, dropped bind, time-out) is "in doubt": it is not
/// written again while a delivery report from that handset to that sender number with an id nobody
/// knows may still come (<see cref="InterworkingSettings.InDoubtHold"/>); such a report is the SMSC
/// saying it has the part, and its id is adopted. Only when none comes in time is the part sent
/// again - the one place where delivery stays at-least-once (docs/durability.md).</item>
/// </list>
/// </summary>
internal sealed partial class SmsSubmissionTracker(
    IInterworkingStateStore state,
    InterworkingSettings settings,
    TimeProvider time,
    ILogger logger,
    Func<OutboxEnvelope, DeliveryState, DateTimeOffset, CancellationToken, ValueTask> report)
{
    // A receipt and the acknowledgement of its part may race (the SMSC reports before the id is
    // stored): both sides take the lock of the id. Completing a message takes the lock of its item.
    private readonly SemaphoreSlim[] _idLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly SemaphoreSlim[] _itemLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private IInterworkingStateStore State => state;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The journal of one attempt to submit outbox item <paramref name="outboxId"/>.</summary>
    public ISmsPartJournal JournalFor(long outboxId, string source, string destination, string? notify) =>
        new Journal(this, outboxId, source, destination, notify);

    /// <summary>
    /// What a new attempt at <paramref name="outboxId"/> starts from: the parts the SMSC acknowledged and
    /// the reference they were cut with; or, while a part is in doubt and its report may still come,
    /// why the attempt must wait.
    /// </summary>
    public async Task<(Dictionary<int, string> Acknowledged, int? Reference, string? Wait)> ResumeAsync(long outboxId, CancellationToken cancellationToken)
    {
        var recorded = await state.PartsAsync(outboxId, cancellationToken).ConfigureAwait(false);
        var acknowledged = new Dictionary<int, string>();
        foreach (var part in recorded)
        {
            if (part.MessageId is { } id)
            {
                acknowledged[part.Part] = id;
                continue;
            }

            if (await AdoptReportedIdAsync(part, cancellationToken).ConfigureAwait(false) is { } adopted)
            {
                acknowledged[part.Part] = adopted;
                continue;
            }

            var waited = time.GetUtcNow() - part.At;
            if (waited < settings.InDoubtHold)
            {
                LogInDoubt(logger, outboxId, part.Part, part.Parts, settings.InDoubtHold - waited);
                return (acknowledged, null, $"part {part.Part}/{part.Parts} may be at the SMSC (its response was lost): waiting for its delivery report");
            }

            LogResendingInDoubt(logger, outboxId, part.Part, part.Parts, waited);
        }

        return (acknowledged, recorded.Count > 0 ? recorded[0].Reference : null, null);
    }

    /// <summary>A delivery report: its part is found by the stored id; a report naming no known id is kept for a part in doubt.</summary>
    public async ValueTask OnReceiptAsync(DeliveryReceipt receipt, CancellationToken cancellationToken)
    {
        var id = SmppMessageId.Canonical(receipt.MessageId);
        SmsPartRecord? part;
        var gate = LockOf(_idLocks, id);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            part = await state.FindPartAsync(id, cancellationToken).ConfigureAwait(false);
            if (part is null)
            {
                LogUnmatchedReceipt(logger, id, receipt.Source, receipt.Destination);
                await state.SaveUnmatchedReceiptAsync(
                    new UnmatchedReceiptRecord(id, Digits(receipt.Source), Digits(receipt.Destination), (int)receipt.State, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        finally
        {
            gate.Release();
        }

        await ApplyAsync(part, receipt.State, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets parts and unmatched reports older than <see cref="InterworkingSettings.ReportTracking"/>, now and then.</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10), time);
        try
        {
            do
            {
                try
                {
                    var gone = await state.ExpireSmsTrackingAsync(time.GetUtcNow() - settings.ReportTracking, cancellationToken).ConfigureAwait(false);
                    if (gone > 0)
                    {
                        LogExpired(logger, gone);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogExpiryFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A part in doubt, and a stored report from its handset to its sender number, received after the
    /// part was written, whose id names no part: the SMSC has the part under that id.
    /// </summary>
    private async Task<string?> AdoptReportedIdAsync(SmsPartRecord part, CancellationToken cancellationToken)
    {
        var reports = await state.UnmatchedReceiptsAsync(Digits(part.Destination), Digits(part.Source), cancellationToken).ConfigureAwait(false);
        if (reports.FirstOrDefault(r => r.ReceivedAt >= part.At) is not { } report)
        {
            return null;
        }

        var adopted = part with { MessageId = report.MessageId };
        await Task.WhenAll(
            state.RemoveUnmatchedReceiptAsync(report.MessageId, cancellationToken),
            state.SavePartAsync(adopted, cancellationToken)).ConfigureAwait(false);
        LogAdopted(logger, part.OutboxId, part.Part, part.Parts, report.MessageId);
        await ApplyAsync(adopted, (DeliveryState)report.State, cancellationToken).ConfigureAwait(false);
        return report.MessageId;
    }

    private async Task ApplyAsync(SmsPartRecord part, DeliveryState reported, CancellationToken cancellationToken)
    {
        var delivered = reported is DeliveryState.Delivered or DeliveryState.Accepted;
        var failed = reported is DeliveryState.Undeliverable or DeliveryState.Rejected or DeliveryState.Expired or DeliveryState.Deleted;
        if (!delivered && !failed)
        {
            return;
        }

        var gate = LockOf(_itemLocks, part.OutboxId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = await state.PartsAsync(part.OutboxId, cancellationToken).ConfigureAwait(false);
            if (parts.FirstOrDefault(p => p.Part == part.Part) is not { Delivered: false } current)
            {
                // A report again (the SMSC did not see our deliver_sm_resp before a drop or a crash): told once.
                return;
            }

            var notify = current.Notify;
            if (failed)
            {
                // Told once; the other parts' reports then concern nobody.
                foreach (var p in parts)
                {
                    await state.SavePartAsync(p with { Notify = null, Delivered = p.Delivered || p.Part == part.Part }, cancellationToken).ConfigureAwait(false);
                }

                if (notify is not null && Envelope(notify) is { } envelope)
                {
                    await report(envelope, reported, parts.Min(p => p.At), cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            var complete = parts.Count == part.Parts && parts.All(p => p.Delivered || p.Part == part.Part);
            if (!complete)
            {
                await state.SavePartAsync(part with { Delivered = true, Notify = notify }, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (notify is not null && parts.All(p => p.Notify is not null) && Envelope(notify) is { } done)
            {
                await report(done, reported, parts.Min(p => p.At), cancellationToken).ConfigureAwait(false);
            }

            // The rows stay (delivered, nobody to tell) until Sms.ReportTracking: a report the SMSC sends
            // again after a drop must still find its part, or it would pass for the report of a part in doubt.
            foreach (var p in parts)
            {
                await state.SavePartAsync(p with { Delivered = true, Notify = null }, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static OutboxEnvelope? Envelope(string json) => JsonSerializer.Deserialize(json, OutboxJson.Default.OutboxEnvelope);

    private static SemaphoreSlim LockOf(SemaphoreSlim[] locks, string key) => locks[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)locks.Length)];

    /// <summary>Numbers compared without their '+': a receipt's addresses may come in either form.</summary>
    private static string Digits(string number) => number.TrimStart('+');

    private sealed class Journal(SmsSubmissionTracker tracker, long outboxId, string source, string destination, string? notify) : ISmsPartJournal
    {
        private int _parts;
        private int _reference;

        public Task SubmittingAsync(int part, int parts, int reference, CancellationToken cancellationToken)
        {
            _parts = parts;
            _reference = reference;
            return tracker.State.SavePartAsync(
                new SmsPartRecord(outboxId, part, parts, reference, null, source, destination, notify, false, tracker.Now), cancellationToken);
        }

        public async Task SubmittedAsync(int part, string messageId, CancellationToken cancellationToken)
        {
            var id = SmppMessageId.Canonical(messageId);
            var record = new SmsPartRecord(outboxId, part, _parts, _reference, id, source, destination, notify, false, tracker.Now);
            UnmatchedReceiptRecord? early;
            var gate = LockOf(tracker._idLocks, id);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await tracker.State.SavePartAsync(record, cancellationToken).ConfigureAwait(false);
                early = await tracker.State.FindUnmatchedReceiptAsync(id, cancellationToken).ConfigureAwait(false);
                if (early is not null)
                {
                    await tracker.State.RemoveUnmatchedReceiptAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }

            // The report overtook the acknowledgement: it is this part's.
            if (early is not null)
            {
                await tracker.ApplyAsync(record, (DeliveryState)early.State, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Outbox item {Id}: part {Part}/{Parts} was being submitted when its response was lost; waiting up to {Left} more for the SMSC's delivery report before sending it again")]
    private static partial void LogInDoubt(ILogger logger, long id, int part, int parts, TimeSpan left);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Outbox item {Id}: no delivery report for part {Part}/{Parts} in {Waited}; submitting it again (the handset may get it twice)")]
    private static partial void LogResendingInDoubt(ILogger logger, long id, int part, int parts, TimeSpan waited);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Outbox item {Id}: the SMSC reported part {Part}/{Parts} under id {MessageId}; it is not submitted again")]
    private static partial void LogAdopted(ILogger logger, long id, int part, int parts, string messageId);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Delivery report for unknown message id {MessageId} ({Source} -> {Destination}) kept for a part whose response was lost")]
    private static partial void LogUnmatchedReceipt(ILogger logger, string messageId, string source, string destination);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Forgot {Count} SMS part(s) and delivery report(s) past Sms.ReportTracking")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Expiring old SMS parts and delivery reports failed")]
    private static partial void LogExpiryFailed(ILogger logger, Exception exception);
}
