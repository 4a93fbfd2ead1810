using System.Text.Json;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Interworking.Sms;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>
/// The interworking function for SMS (seed 003, 5.8 and 5.9): CPM users' messages and session
/// invitations become SMS, submitted in order from a durable outbox; SMS replies come back in the
/// thread they answer; YES / NO / CHAT / END adapt XEP-0155 sessions; delivery reports become receipts.
/// </summary>
public sealed partial class SmsInterworking : InterworkingChannel
{
    private readonly ISmsChannel _sms;
    private readonly Func<string, string?> _subscriberByNumber;
    private readonly SemaphoreSlim _poolLock = new(1, 1);

    // Which parts of which message the SMSC holds, stored: receipts, resumption and lost responses.
    private readonly SmsSubmissionTracker _tracker;

    public SmsInterworking(
        InterworkingSettings settings, IOutboxStore outbox, IThreadMapStore threads, IInterworkingStateStore state, ISmsChannel sms, IConversationSink sink,
        Func<string, string?> subscriberByNumber, ILogger<SmsInterworking> logger, TimeProvider? time = null)
        : base(OutboxChannel.Sms, "SMS", settings, outbox, threads, state, sink, logger, time)
    {
        _sms = sms;
        _subscriberByNumber = subscriberByNumber;
        _tracker = new SmsSubmissionTracker(state, settings, Time, logger, ReportAsync);
    }

    private protected override IEnumerable<Task> StartChannelLoops(CancellationToken stop) => [_tracker.ExpireAsync(stop)];

    /// <summary>
    /// Takes a CPM user's message for an SMS user: thread and sender number are settled, the text is
    /// adapted, and the message is stored in the outbox before this returns true.
    /// </summary>
    public async Task<bool> AcceptAsync(OutboundConversationMessage message, CancellationToken cancellationToken)
    {
        var thread = await Book.OutboundThreadAsync(message, cancellationToken).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        var source = message.SenderMsisdn ?? await PoolNumberAsync(message.Sender, message.Recipient, thread, now, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            LogNoSourceNumber(Logger, message.Sender);
            return false;
        }

        // Queued together, so that the conversation's recency and the outbox item share one grouped commit.
        await Task.WhenAll(
            Book.RecordOutboundAsync(message, thread, cancellationToken),
            EnqueueAsync(new OutboxEnvelope(message, thread, source, Book.Adapt(message)), cancellationToken)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A pool number for (CPM user, thread) towards this SMS user, so that the pair (pool number, SMS
    /// user) identifies the conversation when the SMS user replies. Reuses the conversation's binding,
    /// else a number not bound for this SMS user, else recycles the least recently used binding.
    /// </summary>
    private async Task<string?> PoolNumberAsync(string sender, string recipient, string thread, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Settings.SourceNumbers.Count == 0)
        {
            return null;
        }

        await _poolLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var user = Jid.Parse(sender);
            var bindings = await Threads.BindingsForAsync(recipient, cancellationToken).ConfigureAwait(false);
            var pool = Settings.SourceNumbers;
            var current = bindings.FirstOrDefault(b => b.CpmUser == user && b.Thread == thread && pool.Contains(b.PoolNumber));
            var number = current?.PoolNumber ?? pool.FirstOrDefault(p => !bindings.Any(b => b.PoolNumber == p));
            if (number is null)
            {
                var oldest = bindings.Where(b => pool.Contains(b.PoolNumber)).MinBy(b => b.LastUsed)!;
                number = oldest.PoolNumber;
                LogPoolRecycled(Logger, number, recipient, oldest.CpmUser.ToString(), oldest.Thread);
            }

            await Threads.BindAsync(new ThreadBinding(number, recipient, user, thread, now), cancellationToken).ConfigureAwait(false);
            return number;
        }
        finally
        {
            _poolLock.Release();
        }
    }

    private protected override async Task<(SendOutcome Outcome, string? Reason)> SendAsync(OutboxItem item, OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            var (acknowledged, reference, wait) = await _tracker.ResumeAsync(item.Id, cancellationToken).ConfigureAwait(false);
            if (wait is not null)
            {
                return (SendOutcome.Transient, wait);
            }

            var message = envelope.Message;
            var notify = message.ReceiptRequested && message.MessageId is not null && message.Kind == ConversationKind.Message
                ? JsonSerializer.Serialize(envelope, OutboxJson.Default.OutboxEnvelope)
                : null;
            var journal = _tracker.JournalFor(item.Id, envelope.Source!, message.Recipient, notify);
            var result = await _sms.SubmitAsync(
                new OutboundSms(envelope.Source!, message.Recipient, envelope.Text, RequestDeliveryReceipt: true, reference, acknowledged, journal),
                cancellationToken).ConfigureAwait(false);
            LogSubmitted(Logger, item.Id, message.Recipient, result.Parts, result.Encoding);
            return (SendOutcome.Sent, null);
        }
        catch (SmppSubmitException e) when (e.IsTransient)
        {
            if (e.Status == (uint)Sms.Pdus.SmppCommandStatus.Throttled)
            {
                Diagnostics.InterworkingMetrics.Throttled(OutboxChannel.Sms);
            }

            return (SendOutcome.Transient, e.Message);
        }
        catch (SmppSubmitException e)
        {
            return (SendOutcome.Permanent, $"the SMS network refused the message: {e.Reason}");
        }
        catch (ArgumentException e)
        {
            return (SendOutcome.Permanent, e.Message);
        }
    }

    /// <summary>A mobile-originated SMS: into the CPM user's conversation, in the thread it answers.</summary>
    public async ValueTask OnSmsAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        // The ESME hands over only +E164 and name\40sms senders; whatever else reaches here never becomes a JID.
        if (!SmsSenderAddress.IsSenderLocalpart(sms.Source))
        {
            LogNotASender(Logger, sms.Source);
            LegacySenderRefusals.Count("sms");
            return;
        }

        string user;
        string? thread = null;
        if (await Threads.FindBindingAsync(sms.Destination, sms.Source, cancellationToken).ConfigureAwait(false) is { } binding)
        {
            // A reply to a pool number: the binding says whose conversation, and which thread.
            user = binding.CpmUser.ToString();
            thread = binding.Thread;
            await Threads.BindAsync(binding with { LastUsed = Time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }
        else if (_subscriberByNumber(sms.Destination) is { } subscriber)
        {
            user = subscriber;
        }
        else
        {
            LogUnroutable(Logger, sms.Source, sms.Destination);
            return;
        }

        await Book.DeliverInboundAsync(user, sms.Source, $"{sms.Source}@{Settings.Domain}", sms.Text, thread, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A delivery report: a receipt once every part of a message arrived, an error when one could not.</summary>
    public ValueTask OnReceiptAsync(DeliveryReceipt receipt, CancellationToken cancellationToken) => _tracker.OnReceiptAsync(receipt, cancellationToken);

    private async ValueTask ReportAsync(OutboxEnvelope envelope, DeliveryState state, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        var message = envelope.Message;
        Diagnostics.InterworkingMetrics.DeliveryReported(OutboxChannel.Sms, Time.GetUtcNow() - submittedAt);
        var (kind, text) = state is DeliveryState.Delivered or DeliveryState.Accepted
            ? (ConversationKind.Receipt, "")
            : (ConversationKind.Error, $"Not delivered by SMS: the network reports {DeliveryReceiptParser.Word(state)}");
        await Book.Sink.DeliverAsync(new InboundConversationMessage(message.RecipientJid, message.Sender, kind, text, envelope.Thread, message.MessageId), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Outbox item {Id} submitted to {Recipient}: {Parts} part(s), {Encoding}")]
    private static partial void LogSubmitted(ILogger logger, long id, string recipient, int parts, string encoding);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Source number pool exhausted: {Number} towards {Recipient} is taken from {User} (thread {Thread})")]
    private static partial void LogPoolRecycled(ILogger logger, string number, string recipient, string user, string thread);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "SMS from {Source} to {Destination} matches no subscriber or conversation; dropped")]
    private static partial void LogUnroutable(ILogger logger, string source, string destination);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "SMS from \"{Source}\" dropped: the sender is neither +E164 nor a sender name")]
    private static partial void LogNotASender(ILogger logger, string source);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "{User} has no number and Sms.SourceNumbers is empty: the SMS cannot be sent")]
    private static partial void LogNoSourceNumber(ILogger logger, string user);
}
