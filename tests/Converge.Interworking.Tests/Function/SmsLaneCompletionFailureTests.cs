using System.Threading.Channels;
using Converge.Core.Storage;
using Converge.Interworking.Function;
using Converge.Interworking.Sms;
using Converge.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Tests.Function;

/// <summary>
/// A lane's item whose completion (its removal from the outbox) fails to commit stays the lane's head:
/// it must be offered again - not skipped as finished, which stalled the lane for good - and, its part
/// ids being stored, completed without a second copy at the SMSC (docs/durability.md).
/// </summary>
public sealed class SmsLaneCompletionFailureTests : IAsyncLifetime
{
    private const string Mary = "mary@a.example";
    private const string Peter = "+4915112345678";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iwf-pipe-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingSms _network = new();
    private IStores _stores = null!;
    private GatedOutbox _outbox = null!;
    private SmsInterworking _iwf = null!;

    public async Task InitializeAsync()
    {
        _stores = await SqliteStores.OpenAsync(Path.Combine(_dir, "t.db"));
        _outbox = new GatedOutbox(_stores.Outbox);
    }

    private void Create(TimeSpan inDoubtHold) =>
        _iwf = new SmsInterworking(
            new InterworkingSettings
            {
                Domain = "a.example",
                SourceNumbers = ["+4940555000"],
                FirstRetryDelay = TimeSpan.FromMilliseconds(50),
                MaxRetryDelay = TimeSpan.FromMilliseconds(200),
                InDoubtHold = inDoubtHold,
            },
            _outbox,
            _stores.ThreadMap,
            _stores.InterworkingState,
            _network,
            new NoSink(),
            _ => null,
            NullLogger<SmsInterworking>.Instance);

    public async Task DisposeAsync()
    {
        _outbox.Open();
        if (_iwf is not null)
        {
            await _iwf.DisposeAsync();
        }

        await _stores.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static OutboundConversationMessage Message(string text) =>
        new(Mary, null, Peter, Peter + "@a.example", ConversationKind.Message, text, "t1", Guid.NewGuid().ToString("N"), ReceiptRequested: false);

    [Fact]
    public async Task A_completion_that_fails_is_retried_without_a_second_copy_and_the_next_sms_still_follows_once()
    {
        _outbox.FailNextCompletion();
        Create(TimeSpan.FromMilliseconds(300));
        Assert.True(await _iwf.AcceptAsync(Message("first"), CancellationToken.None));
        Assert.True(await _iwf.AcceptAsync(Message("second"), CancellationToken.None));
        await _iwf.StartAsync(CancellationToken.None);

        Assert.Equal("first", (await _network.TakeAsync()).Text);
        Assert.Equal("second", (await _network.TakeAsync()).Text);
        await Eventually(async () => (await _stores.Outbox.PendingAsync(10)).Count == 0, "both items completed");

        // The first SMS had its id stored: it was completed on the next pass without being written again.
        Assert.Equal(2, _network.Written);
        Assert.Equal(1, _outbox.FailedCompletions);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("waited in vain for " + what);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The real outbox, whose completions can be held back (a commit not yet done) or failed once.</summary>
    private sealed class GatedOutbox(IOutboxStore inner) : IOutboxStore
    {
        private readonly object _gate = new();
        private readonly Dictionary<long, TaskCompletionSource> _requested = [];
        private TaskCompletionSource _open = Opened();
        private int _failNext;
        private int _failed;

        public int FailedCompletions => Volatile.Read(ref _failed);

        public void Close()
        {
            lock (_gate)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Open()
        {
            lock (_gate)
            {
                _open.TrySetResult();
            }
        }

        public void FailNextCompletion() => Volatile.Write(ref _failNext, 1);

        public Task CompletionRequested(long id) => Requested(id).Task;

        public async Task CompleteAsync(long id, CancellationToken cancellationToken = default)
        {
            Task open;
            lock (_gate)
            {
                open = _open.Task;
            }

            Requested(id).TrySetResult();
            await open.WaitAsync(cancellationToken);
            if (Interlocked.Exchange(ref _failNext, 0) == 1)
            {
                Interlocked.Increment(ref _failed);
                throw new IOException("the commit failed");
            }

            await inner.CompleteAsync(id, cancellationToken);
        }

        public Task<long> EnqueueAsync(string lane, OutboxChannel channel, string payload, DateTimeOffset created, CancellationToken cancellationToken = default) =>
            inner.EnqueueAsync(lane, channel, payload, created, cancellationToken);

        public Task<IReadOnlyList<OutboxItem>> PendingAsync(int max, CancellationToken cancellationToken = default) => inner.PendingAsync(max, cancellationToken);

        public Task<IReadOnlyList<OutboxItem>> LaneHeadsAsync(OutboxChannel channel, DateTimeOffset dueBy, int max, CancellationToken cancellationToken = default) =>
            inner.LaneHeadsAsync(channel, dueBy, max, cancellationToken);


        public Task RescheduleAsync(long id, int attempts, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default) =>
            inner.RescheduleAsync(id, attempts, nextAttempt, cancellationToken);

        public Task<IReadOnlyList<OutboxLane>> LanesAsync(OutboxChannel? channel, int max, CancellationToken cancellationToken = default) =>
            inner.LanesAsync(channel, max, cancellationToken);

        public Task<IReadOnlyList<OutboxChannelTotals>> TotalsAsync(CancellationToken cancellationToken = default) => inner.TotalsAsync(cancellationToken);

        public Task<int> RetryLaneAsync(string lane, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.RetryLaneAsync(lane, now, cancellationToken);

        public Task<int> DropLaneAsync(string lane, CancellationToken cancellationToken = default) => inner.DropLaneAsync(lane, cancellationToken);

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        private TaskCompletionSource Requested(long id)
        {
            lock (_gate)
            {
                if (!_requested.TryGetValue(id, out var requested))
                {
                    _requested[id] = requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return requested;
            }
        }
    }

    /// <summary>As the ESME does, for one-part messages: journaled before and after the part is written.</summary>
    private sealed class RecordingSms : ISmsChannel
    {
        private readonly Channel<OutboundSms> _written = Channel.CreateUnbounded<OutboundSms>();
        private int _count;
        private int _id;

        public int Written => Volatile.Read(ref _count);

        public async Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken)
        {
            if (sms.Acknowledged?.TryGetValue(1, out var known) == true)
            {
                return new SubmitResult([known], 1, "GSM7");
            }

            if (sms.Journal is { } journal)
            {
                await journal.SubmittingAsync(1, 1, 7, cancellationToken);
            }

            Interlocked.Increment(ref _count);
            _written.Writer.TryWrite(sms);
            var id = Interlocked.Increment(ref _id).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            if (sms.Journal is { } done)
            {
                await done.SubmittedAsync(1, id, cancellationToken);
            }

            return new SubmitResult([id], 1, "GSM7");
        }

        public async Task<OutboundSms> TakeAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await _written.Reader.ReadAsync(timeout.Token);
        }
    }

    private sealed class NoSink : IConversationSink
    {
        public ValueTask DeliverAsync(InboundConversationMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
