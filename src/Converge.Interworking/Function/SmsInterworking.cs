using System.Collections.Concurrent;
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
public sealed partial class SmsInterworking : IAsyncDisposable
{
    private readonly InterworkingSettings _settings;
    private readonly IOutboxStore _outbox;
    private readonly IThreadMapStore _threads;
    private readonly ISmsChannel _sms;
    private readonly IConversationSink _sink;
    private readonly Func<string, string?> _subscriberByNumber;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConversationBook _book;
    private readonly OutboxDispatcher _dispatcher;
    private readonly SemaphoreSlim _poolLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, AwaitedReceipt> _receipts = new(StringComparer.Ordinal);
    private readonly List<Task> _loops = [];

    public SmsInterworking(
        InterworkingSettings settings, IOutboxStore outbox, IThreadMapStore threads, ISmsChannel sms, IConversationSink sink,
        Func<string, string?> subscriberByNumber, ILogger<SmsInterworking> logger, TimeProvider? time = null)
    {
        _settings = settings;
        _outbox = outbox;
        _threads = threads;
        _sms = sms;
        _sink = sink;
        _subscriberByNumber = subscriberByNumber;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _book = new ConversationBook(settings, threads, sink, _time);
        _dispatcher = new OutboxDispatcher(outbox, SendAsync, (e, reason, ct) => _book.ReportFailureAsync(e, "SMS", reason, ct), settings, logger, _time);
    }

    /// <summary>Starts submitting what the outbox holds (including what was left from before a restart).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loops.Add(_dispatcher.RunAsync(_stop.Token));
        _loops.Add(_book.ExpireInvitesAsync(_stop.Token));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Takes a CPM user's message for an SMS user: thread and sender number are settled, the text is
    /// adapted, and the message is stored in the outbox before this returns true.
    /// </summary>
    public async Task<bool> AcceptAsync(OutboundConversationMessage message, CancellationToken cancellationToken)
    {
        var thread = await _book.OutboundThreadAsync(message, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var source = message.SenderMsisdn ?? await PoolNumberAsync(message.Sender, message.Recipient, thread, now, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            LogNoSourceNumber(_logger, message.Sender);
            return false;
        }

        await _book.RecordOutboundAsync(message, thread, cancellationToken).ConfigureAwait(false);
        var envelope = new OutboxEnvelope(message, thread, source, _book.Adapt(message));
        await _outbox.EnqueueAsync(message.Sender + " " + message.Recipient, "sms", JsonSerializer.Serialize(envelope, OutboxJson.Default.OutboxEnvelope), now, cancellationToken).ConfigureAwait(false);
        _dispatcher.Wake();
        return true;
    }

    /// <summary>
    /// A pool number for (CPM user, thread) towards this SMS user, so that the pair (pool number, SMS
    /// user) identifies the conversation when the SMS user replies. Reuses the conversation's binding,
    /// else a number not bound for this SMS user, else recycles the least recently used binding.
    /// </summary>
    private async Task<string?> PoolNumberAsync(string sender, string recipient, string thread, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_settings.SourceNumbers.Count == 0)
        {
            return null;
        }

        await _poolLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var user = Jid.Parse(sender);
            var bindings = await _threads.BindingsForAsync(recipient, cancellationToken).ConfigureAwait(false);
            var pool = _settings.SourceNumbers;
            var current = bindings.FirstOrDefault(b => b.CpmUser == user && b.Thread == thread && pool.Contains(b.PoolNumber));
            var number = current?.PoolNumber ?? pool.FirstOrDefault(p => !bindings.Any(b => b.PoolNumber == p));
            if (number is null)
            {
                var oldest = bindings.Where(b => pool.Contains(b.PoolNumber)).MinBy(b => b.LastUsed)!;
                number = oldest.PoolNumber;
                LogPoolRecycled(_logger, number, recipient, oldest.CpmUser.ToString(), oldest.Thread);
            }

            await _threads.BindAsync(new ThreadBinding(number, recipient, user, thread, now), cancellationToken).ConfigureAwait(false);
            return number;
        }
        finally
        {
            _poolLock.Release();
        }
    }

    private async Task<(SendOutcome, string?)> SendAsync(OutboxItem item, OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _sms.SubmitAsync(new OutboundSms(envelope.Source!, envelope.Message.Recipient, envelope.Text, RequestDeliveryReceipt: true), cancellationToken).ConfigureAwait(false);
            LogSubmitted(_logger, item.Id, envelope.Message.Recipient, result.Parts, result.Encoding);
            if (envelope.Message.ReceiptRequested && envelope.Message.MessageId is not null && envelope.Message.Kind == ConversationKind.Message)
            {
                var awaited = new AwaitedReceipt(envelope, [.. result.MessageIds]);
                foreach (var id in result.MessageIds)
                {
                    _receipts[SmppMessageId.Canonical(id)] = awaited;
                }
            }

            return (SendOutcome.Sent, null);
        }
        catch (SmppSubmitException e) when (e.IsTransient)
        {
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
        string user;
        string? thread = null;
        if (await _threads.FindBindingAsync(sms.Destination, sms.Source, cancellationToken).ConfigureAwait(false) is { } binding)
        {
            // A reply to a pool number: the binding says whose conversation, and which thread.
            user = binding.CpmUser.ToString();
            thread = binding.Thread;
            await _threads.BindAsync(binding with { LastUsed = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }
        else if (_subscriberByNumber(sms.Destination) is { } subscriber)
        {
            user = subscriber;
        }
        else
        {
            LogUnroutable(_logger, sms.Source, sms.Destination);
            return;
        }

        await _book.DeliverInboundAsync(user, sms.Source, $"{sms.Source}@{_settings.Domain}", sms.Text, thread, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A delivery report: a receipt once every part of a message arrived, an error when one could not.</summary>
    public async ValueTask OnReceiptAsync(DeliveryReceipt receipt, CancellationToken cancellationToken)
    {
        // Ids may come back hex where they went out decimal, or the other way round.
        var id = SmppMessageId.Canonical(receipt.MessageId);
        if (!_receipts.ContainsKey(id))
        {
            id = _receipts.Keys.FirstOrDefault(k => SmppMessageId.AreSame(k, receipt.MessageId)) ?? id;
        }

        if (!_receipts.TryRemove(id, out var awaited))
        {
            return;
        }

        var message = awaited.Envelope.Message;
        if (receipt.State is "DELIVRD" or "ACCEPTD")
        {
            bool complete;
            lock (awaited)
            {
                awaited.Parts.RemoveWhere(p => SmppMessageId.Canonical(p) == id);
                complete = awaited.Parts.Count == 0;
            }

            if (complete)
            {
                await _sink.DeliverAsync(new InboundConversationMessage(message.RecipientJid, message.Sender, ConversationKind.Receipt, "", awaited.Envelope.Thread, message.MessageId), cancellationToken).ConfigureAwait(false);
            }
        }
        else if (receipt.State is "UNDELIV" or "REJECTD" or "EXPIRED" or "DELETED")
        {
            await _sink.DeliverAsync(new InboundConversationMessage(message.RecipientJid, message.Sender, ConversationKind.Error, $"Not delivered by SMS: the network reports {receipt.State}", awaited.Envelope.Thread, message.MessageId), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _stop.Dispose();
        _poolLock.Dispose();
    }

    private sealed record AwaitedReceipt(OutboxEnvelope Envelope, HashSet<string> Parts);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Outbox item {Id} submitted to {Recipient}: {Parts} part(s), {Encoding}")]
    private static partial void LogSubmitted(ILogger logger, long id, string recipient, int parts, string encoding);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Source number pool exhausted: {Number} towards {Recipient} is taken from {User} (thread {Thread})")]
    private static partial void LogPoolRecycled(ILogger logger, string number, string recipient, string user, string thread);

    [LoggerMessage(EventId = 712, Level = LogLevel.Warning, Message = "SMS from {Source} to {Destination} matches no subscriber or conversation; dropped")]
    private static partial void LogUnroutable(ILogger logger, string source, string destination);

    [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "{User} has no number and Sms.SourceNumbers is empty: the SMS cannot be sent")]
    private static partial void LogNoSourceNumber(ILogger logger, string user);
}
