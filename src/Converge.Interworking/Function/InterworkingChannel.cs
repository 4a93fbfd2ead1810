using System.Text.Json;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>
/// One legacy technology on the interworking function (SMS, email): what every channel shares -
/// the durable outbox it enqueues to and drains in order, the conversation book, start and stop.
/// A channel adds how it addresses a conversation on its network and how it sends.
/// </summary>
public abstract class InterworkingChannel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly OutboxChannel _channel;

    private protected InterworkingChannel(
        OutboxChannel channel, string displayName, InterworkingSettings settings, IOutboxStore outbox, IThreadMapStore threads, IInterworkingStateStore state,
        IConversationSink sink, ILogger logger, TimeProvider? time)
    {
        _channel = channel;
        Settings = settings;
        Outbox = outbox;
        Threads = threads;
        State = state;
        Logger = logger;
        Time = time ?? TimeProvider.System;
        Book = new ConversationBook(channel, settings, threads, state, sink, Time);
        var ownership = settings.LaneLeasing is { } leasing
            ? new OutboxLaneOwnership(leasing.Leases, leasing.Node, channel, leasing.Duration, logger, Time)
            : null;
        Dispatcher = new OutboxDispatcher(outbox, channel, SendAsync, (e, reason, ct) => Book.ReportFailureAsync(e, displayName, reason, ct), settings, logger, Time, ownership);
    }

    private protected InterworkingSettings Settings { get; }

    private protected IOutboxStore Outbox { get; }

    private protected IThreadMapStore Threads { get; }

    private protected IInterworkingStateStore State { get; }

    private protected ILogger Logger { get; }

    private protected TimeProvider Time { get; }

    private protected ConversationBook Book { get; }

    private protected OutboxDispatcher Dispatcher { get; }

    /// <summary>An operator retried <paramref name="lane"/> (already made due in the store): send its head now, not after its back-off.</summary>
    public void RetryLaneNow(string lane) => Dispatcher.RetryNow(lane);

    /// <summary>Starts sending what the outbox holds for this channel (including what was left before a restart).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The sessions first: a YES that arrives right after start-up must find its invitation.
        await Book.LoadAsync(cancellationToken).ConfigureAwait(false);
        _loops.Add(Dispatcher.RunAsync(_stop.Token));
        _loops.Add(Book.ExpireInvitesAsync(_stop.Token));
        _loops.AddRange(StartChannelLoops(_stop.Token));
    }

    /// <summary>Loops a channel runs besides the dispatcher and the invitation timer (none by default).</summary>
    private protected virtual IEnumerable<Task> StartChannelLoops(CancellationToken stop) => [];

    /// <summary>Stores the message in the outbox (its lane is sender → recipient) and wakes the dispatcher.</summary>
    private protected async Task EnqueueAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        var message = envelope.Message;
        await Outbox.EnqueueAsync(message.Sender + " " + message.Recipient, _channel, JsonSerializer.Serialize(envelope, OutboxJson.Default.OutboxEnvelope), Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Dispatcher.Wake();
    }

    /// <summary>One attempt to hand an outbox item to the network.</summary>
    private protected abstract Task<(SendOutcome Outcome, string? Reason)> SendAsync(OutboxItem item, OutboxEnvelope envelope, CancellationToken cancellationToken);

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
        GC.SuppressFinalize(this);
    }
}
