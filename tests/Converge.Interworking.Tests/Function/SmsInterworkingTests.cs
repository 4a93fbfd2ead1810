using System.Collections.Concurrent;
using System.Threading.Channels;
using Converge.Core.Storage;
using Converge.Interworking.Function;
using Converge.Interworking.Sms;
using Converge.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Tests.Function;

/// <summary>
/// The interworking function's rules over a real SQLite store, with the SMS network played by an
/// in-process channel whose behaviour each test scripts (throttling, refusals). The same flows run
/// against the npm smpp SMSC in the end-to-end tests.
/// </summary>
public sealed class SmsInterworkingTests : IAsyncLifetime
{
    private const string Mary = "mary@a.example";
    private const string Peter = "+4915112345678";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iwf-" + Guid.NewGuid().ToString("N"));
    private readonly ScriptedSms _network = new();
    private readonly Sink _sink = new();
    private IStores _stores = null!;
    private SmsInterworking _iwf = null!;

    public async Task InitializeAsync()
    {
        _stores = await SqliteStores.OpenAsync(Path.Combine(_dir, "t.db"));
        _iwf = Create(TimeSpan.FromMinutes(10));
        await _iwf.StartAsync(CancellationToken.None);
    }

    private SmsInterworking Create(TimeSpan inviteTimeout, TimeSpan? inDoubtHold = null) => new(
        new InterworkingSettings
        {
            Domain = "a.example",
            SourceNumbers = ["+4940555000", "+4940555001"],
            SessionInviteTimeout = inviteTimeout,
            FirstRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            InDoubtHold = inDoubtHold ?? TimeSpan.FromMinutes(10),
        },
        _stores.Outbox,
        _stores.ThreadMap,
        _stores.InterworkingState,
        _network,
        _sink,
        n => n == "+4940111111" ? "john.doe@a.example" : null,
        NullLogger<SmsInterworking>.Instance);

    public async Task DisposeAsync()
    {
        await _iwf.DisposeAsync();
        await _stores.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static OutboundConversationMessage Message(string text, string? thread = null, ConversationKind kind = ConversationKind.Message, string sender = Mary) =>
        new(sender, null, Peter, Peter + "@a.example", kind, text, thread, Guid.NewGuid().ToString("N"), ReceiptRequested: true);

    [Fact]
    public async Task Messages_leave_in_the_order_sent_even_when_the_network_throttles()
    {
        _network.FailNext(3, transient: true);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await _iwf.AcceptAsync(Message("m" + i, "t1"), CancellationToken.None));
        }

        var sent = await _network.TakeAsync(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "m" + i), sent.Select(s => s.Text));
        Assert.All(sent, s => Assert.Equal("+4940555000", s.Source));
    }

    [Fact]
    public async Task A_permanent_refusal_comes_back_to_the_sender_naming_the_reason()
    {
        _network.FailNext(1, transient: false);
        await _iwf.AcceptAsync(Message("doomed", "t1"), CancellationToken.None);
        var error = await _sink.TakeAsync(ConversationKind.Error);
        Assert.Equal(Mary, error.To);
        Assert.Contains("refused", error.Text, StringComparison.Ordinal);
        Assert.Equal("t1", error.Thread);
    }

    [Fact]
    public async Task Replies_land_in_the_thread_of_the_pool_number_they_answer()
    {
        await _iwf.AcceptAsync(Message("about dinner", "dinner"), CancellationToken.None);
        await _iwf.AcceptAsync(Message("about work", "work"), CancellationToken.None);
        var sent = await _network.TakeAsync(2);
        Assert.NotEqual(sent[0].Source, sent[1].Source);

        await _iwf.OnSmsAsync(new InboundSms(Peter, sent[1].Source, "work is fine", DateTimeOffset.UtcNow), CancellationToken.None);
        await _iwf.OnSmsAsync(new InboundSms(Peter, sent[0].Source, "pizza!", DateTimeOffset.UtcNow), CancellationToken.None);
        var first = await _sink.TakeAsync(ConversationKind.Message);
        var second = await _sink.TakeAsync(ConversationKind.Message);
        Assert.Equal(("work", Peter + "@a.example", Mary), (first.Thread, first.From, first.To));
        Assert.Equal("dinner", second.Thread);
    }

    [Fact]
    public async Task A_full_pool_recycles_the_least_recently_used_binding()
    {
        await _iwf.AcceptAsync(Message("one", "t1"), CancellationToken.None);
        await _iwf.AcceptAsync(Message("two", "t2"), CancellationToken.None);
        await _iwf.AcceptAsync(Message("three", "t3"), CancellationToken.None);
        var sent = await _network.TakeAsync(3);
        Assert.Equal(sent[0].Source, sent[2].Source);
        await _iwf.OnSmsAsync(new InboundSms(Peter, sent[2].Source, "reply", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal("t3", (await _sink.TakeAsync(ConversationKind.Message)).Thread);
    }

    [Fact]
    public async Task An_sms_to_a_subscribers_number_reaches_them_in_the_recent_thread_or_a_new_one()
    {
        await _iwf.OnSmsAsync(new InboundSms(Peter, "+4940111111", "hi John", DateTimeOffset.UtcNow), CancellationToken.None);
        var m = await _sink.TakeAsync(ConversationKind.Message);
        Assert.Equal("john.doe@a.example", m.To);
        await _iwf.OnSmsAsync(new InboundSms(Peter, "+4940111111", "again", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(m.Thread, (await _sink.TakeAsync(ConversationKind.Message)).Thread);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("mary")]
    [InlineData("bob@b.example")]
    [InlineData("a\\40mail.example")]
    public async Task An_sms_whose_source_is_no_sender_form_never_reaches_the_subscriber(string source)
    {
        await _iwf.OnSmsAsync(new InboundSms(source, "+4940111111", "it is me", DateTimeOffset.UtcNow), CancellationToken.None);
        await _iwf.OnSmsAsync(new InboundSms("mybank\\40sms", "+4940111111", "your code is 1234", DateTimeOffset.UtcNow), CancellationToken.None);

        var m = await _sink.TakeAsync(ConversationKind.Message);
        Assert.Equal(("mybank\\40sms@a.example", "your code is 1234"), (m.From, m.Text));
        Assert.False(_sink.Has(ConversationKind.Message), "the SMS from the refused source was delivered too");
    }

    [Theory]
    [InlineData("YES", ConversationKind.SessionAccept)]
    [InlineData(" yes! ", ConversationKind.SessionAccept)]
    [InlineData("ok", ConversationKind.SessionAccept)]
    [InlineData("No thanks", ConversationKind.SessionDecline)]
    [InlineData("n", ConversationKind.SessionDecline)]
    public async Task A_session_invitation_becomes_an_sms_and_the_answer_a_session_response(string answer, ConversationKind expected)
    {
        await _iwf.AcceptAsync(Message("", "chat1", ConversationKind.SessionInvite), CancellationToken.None);
        var sms = Assert.Single(await _network.TakeAsync(1));
        Assert.Equal("mary (mary@a.example) invites you to chat. Reply YES to accept or NO to decline.", sms.Text);
        await _iwf.OnSmsAsync(new InboundSms(Peter, sms.Source, answer, DateTimeOffset.UtcNow), CancellationToken.None);
        var response = await _sink.TakeAsync(expected);
        Assert.Equal("chat1", response.Thread);
    }

    [Fact]
    public async Task An_unanswered_invitation_is_a_decline()
    {
        await using var iwf = Create(TimeSpan.FromMilliseconds(300));
        await iwf.StartAsync(CancellationToken.None);
        await iwf.AcceptAsync(Message("", "chat2", ConversationKind.SessionInvite), CancellationToken.None);
        var decline = await _sink.TakeAsync(ConversationKind.SessionDecline);
        Assert.Equal("chat2", decline.Thread);
    }

    [Fact]
    public async Task Chat_keyword_invites_the_cpm_user_and_end_closes_the_session()
    {
        await _iwf.OnSmsAsync(new InboundSms(Peter, "+4940111111", "chat", DateTimeOffset.UtcNow), CancellationToken.None);
        var invite = await _sink.TakeAsync(ConversationKind.SessionInvite);
        await _iwf.AcceptAsync(new OutboundConversationMessage("john.doe@a.example", "+4940111111", Peter, Peter + "@a.example", ConversationKind.SessionAccept, "", null, "x", false), CancellationToken.None);
        var sms = Assert.Single(await _network.TakeAsync(1));
        Assert.StartsWith("john.doe (john.doe@a.example) accepted", sms.Text, StringComparison.Ordinal);
        Assert.Equal("+4940111111", sms.Source);

        await _iwf.OnSmsAsync(new InboundSms(Peter, "+4940111111", "in the session", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(invite.Thread, (await _sink.TakeAsync(ConversationKind.Message)).Thread);
        await _iwf.OnSmsAsync(new InboundSms(Peter, "+4940111111", "END", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(invite.Thread, (await _sink.TakeAsync(ConversationKind.SessionEnd)).Thread);
    }

    [Fact]
    public async Task Delivery_reports_become_a_receipt_once_every_part_arrived()
    {
        var message = Message(new string('x', 400), "long");
        _network.PartsPerMessage = 3;
        await _iwf.AcceptAsync(message, CancellationToken.None);
        var sent = Assert.Single(await _network.TakeAsync(1));
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[0], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[1], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        Assert.False(_sink.Has(ConversationKind.Receipt));
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[2], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        var receipt = await _sink.TakeAsync(ConversationKind.Receipt);
        Assert.Equal(message.MessageId, receipt.RefersTo);
    }

    [Fact]
    public async Task The_outbox_survives_a_restart_and_resumes_in_order()
    {
        _network.FailNext(1000, transient: true); // the SMSC is down
        for (var i = 0; i < 5; i++)
        {
            await _iwf.AcceptAsync(Message("r" + i, "t"), CancellationToken.None);
        }

        await _iwf.DisposeAsync();
        _network.FailNext(0, transient: true); // back up
        _iwf = Create(TimeSpan.FromMinutes(10));
        await _iwf.StartAsync(CancellationToken.None);
        var sent = await _network.TakeAsync(5);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], sent.Select(s => s.Text));
    }

    [Fact]
    public async Task Another_channels_items_in_the_shared_outbox_are_left_to_it()
    {
        await _stores.Outbox.EnqueueAsync(Mary + " peter@mail.example", OutboxChannel.Email, "{}", DateTimeOffset.UtcNow);
        await _iwf.AcceptAsync(Message("by sms", "t"), CancellationToken.None);
        Assert.Equal("by sms", Assert.Single(await _network.TakeAsync(1)).Text);

        // The SMS item is completed once its submission returned; the email item stays for its channel.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<OutboxItem> pending;
        do
        {
            await Task.Delay(20);
            pending = await _stores.Outbox.PendingAsync(10);
        }
        while (pending.Count > 1 && DateTime.UtcNow < deadline);

        Assert.Equal(OutboxChannel.Email, Assert.Single(pending).Channel);
    }

    /// <summary>The server stops and starts again on the same database (what a restart keeps is what the store keeps).</summary>
    private async Task RestartAsync(TimeSpan? inDoubtHold = null)
    {
        await _iwf.DisposeAsync();
        _iwf = Create(TimeSpan.FromMinutes(10), inDoubtHold);
        await _iwf.StartAsync(CancellationToken.None);
    }

    private async Task WaitForEmptyOutboxAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await _stores.Outbox.PendingAsync(10)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox did not drain");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_invitation_survives_a_restart_and_the_yes_after_it_is_the_session_accept_in_its_thread()
    {
        await _iwf.AcceptAsync(Message("", "chat-r", ConversationKind.SessionInvite), CancellationToken.None);
        var sms = Assert.Single(await _network.TakeAsync(1));

        await RestartAsync();
        await _iwf.OnSmsAsync(new InboundSms(Peter, sms.Source, "YES", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal("chat-r", (await _sink.TakeAsync(ConversationKind.SessionAccept)).Thread);
        Assert.False(_sink.Has(ConversationKind.Message), "the YES was delivered as a plain message as well");
    }

    [Fact]
    public async Task An_invitation_that_expired_while_the_server_was_down_is_declined_after_the_restart()
    {
        await using (var quick = Create(TimeSpan.FromMilliseconds(200)))
        {
            // Not started: its timer never runs, as if the server stopped right after the invitation.
            await quick.AcceptAsync(Message("", "chat-x", ConversationKind.SessionInvite), CancellationToken.None);
        }

        await Task.Delay(300); // the invitation's time-out passes while nothing runs
        await RestartAsync();

        Assert.Equal("chat-x", (await _sink.TakeAsync(ConversationKind.SessionDecline)).Thread);
    }

    [Fact]
    public async Task A_session_accepted_before_a_restart_is_ended_by_end_after_it()
    {
        await _iwf.AcceptAsync(Message("", "chat-e", ConversationKind.SessionInvite), CancellationToken.None);
        var sms = Assert.Single(await _network.TakeAsync(1));
        await _iwf.OnSmsAsync(new InboundSms(Peter, sms.Source, "YES", DateTimeOffset.UtcNow), CancellationToken.None);
        await _sink.TakeAsync(ConversationKind.SessionAccept);

        await RestartAsync();
        await _iwf.OnSmsAsync(new InboundSms(Peter, sms.Source, "END", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal("chat-e", (await _sink.TakeAsync(ConversationKind.SessionEnd)).Thread);
    }

    [Fact]
    public async Task Delivery_reports_after_a_restart_still_become_the_receipt_once_every_part_arrived()
    {
        var message = Message(new string('y', 400), "long-r");
        _network.PartsPerMessage = 3;
        await _iwf.AcceptAsync(message, CancellationToken.None);
        var sent = Assert.Single(await _network.TakeAsync(1));
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[0], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        await WaitForEmptyOutboxAsync();

        await RestartAsync();
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[1], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        Assert.False(_sink.Has(ConversationKind.Receipt));
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[2], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);

        Assert.Equal(message.MessageId, (await _sink.TakeAsync(ConversationKind.Receipt)).RefersTo);
    }

    [Fact]
    public async Task A_part_whose_response_was_lost_is_not_submitted_again_when_the_smsc_reports_it_after_a_restart()
    {
        var message = Message("lost response", "t-lost");
        _network.LoseResponseAtPart = 1; // the SMSC takes the part; the response never comes back
        await _iwf.AcceptAsync(message, CancellationToken.None);
        var atSmsc = await _network.TakePartAsync();

        await RestartAsync();
        // The SMSC's report names an id the server never learnt.
        await _iwf.OnReceiptAsync(new DeliveryReceipt(atSmsc.Id, DeliveryState.Delivered, Peter, atSmsc.Source), CancellationToken.None);

        Assert.Equal(message.MessageId, (await _sink.TakeAsync(ConversationKind.Receipt)).RefersTo);
        await WaitForEmptyOutboxAsync();
        Assert.Equal(1, _network.PartsWritten);
    }

    [Fact]
    public async Task A_long_message_resumed_after_a_lost_response_sends_only_the_missing_parts_with_the_same_reference()
    {
        _network.PartsPerMessage = 3;
        _network.LoseResponseAtPart = 2;
        await _iwf.AcceptAsync(Message(new string('z', 400), "t-long"), CancellationToken.None);
        var first = await _network.TakePartAsync();
        var second = await _network.TakePartAsync();
        Assert.Equal((1, 2), (first.Part, second.Part));

        await RestartAsync();
        await _iwf.OnReceiptAsync(new DeliveryReceipt(second.Id, DeliveryState.Delivered, Peter, second.Source), CancellationToken.None);

        var third = await _network.TakePartAsync();
        Assert.Equal(3, third.Part);
        Assert.Equal(first.Reference, third.Reference);
        await WaitForEmptyOutboxAsync();
        Assert.Equal(3, _network.PartsWritten);
    }

    [Fact]
    public async Task Without_a_report_a_part_in_doubt_is_submitted_again_after_the_hold_the_documented_exception()
    {
        await RestartAsync(inDoubtHold: TimeSpan.FromMilliseconds(300));
        _network.LoseResponseAtPart = 1;
        await _iwf.AcceptAsync(Message("maybe twice", "t-twice"), CancellationToken.None);
        var first = await _network.TakePartAsync();
        var again = await _network.TakePartAsync();

        Assert.Equal((first.Text, first.Part), (again.Text, again.Part));
        await WaitForEmptyOutboxAsync();
        Assert.Equal(2, _network.PartsWritten);
    }

    [Fact]
    public async Task A_report_from_another_handset_does_not_release_a_part_in_doubt()
    {
        _network.LoseResponseAtPart = 1;
        await _iwf.AcceptAsync(Message("in doubt", "t-other"), CancellationToken.None);
        var atSmsc = await _network.TakePartAsync();

        await _iwf.OnReceiptAsync(new DeliveryReceipt("ffff01", DeliveryState.Delivered, "+4915199999999", atSmsc.Source), CancellationToken.None);
        await Task.Delay(500); // several retry passes of the dispatcher (50-200 ms)

        Assert.Single(await _stores.Outbox.PendingAsync(10));
        Assert.Equal(1, _network.PartsWritten);
        Assert.False(_sink.Has(ConversationKind.Receipt));
    }

    [Fact]
    public async Task A_report_the_smsc_sends_again_after_a_drop_does_not_release_a_later_part_in_doubt()
    {
        var first = Message("first", "t-again");
        await _iwf.AcceptAsync(first, CancellationToken.None);
        var sent = Assert.Single(await _network.TakeAsync(1));
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[0], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        Assert.Equal(first.MessageId, (await _sink.TakeAsync(ConversationKind.Receipt)).RefersTo);
        await WaitForEmptyOutboxAsync();

        _network.LoseResponseAtPart = 1;
        await _iwf.AcceptAsync(Message("second", "t-again"), CancellationToken.None);
        await _network.TakePartAsync();
        await _network.TakePartAsync();
        await RestartAsync();
        // The SMSC never saw our deliver_sm_resp for the first report: it reports the first message again.
        await _iwf.OnReceiptAsync(new DeliveryReceipt(sent.Ids[0], DeliveryState.Delivered, Peter, sent.Source), CancellationToken.None);
        await Task.Delay(500); // several retry passes of the dispatcher (50-200 ms)

        Assert.Single(await _stores.Outbox.PendingAsync(10));
        Assert.Equal(2, _network.PartsWritten);
        Assert.False(_sink.Has(ConversationKind.Receipt), "the first message's receipt was reported twice");
    }

    [Fact]
    public async Task A_report_received_before_the_part_was_written_does_not_release_it()
    {
        // A report with an unknown id, from Peter to the pool number, that came in before anything was sent:
        // stale or forged, it says nothing about a part written later.
        await _stores.InterworkingState.SaveUnmatchedReceiptAsync(
            new UnmatchedReceiptRecord("ab12", Peter.TrimStart('+'), "4940555000", (int)DeliveryState.Delivered, DateTimeOffset.UtcNow.AddMinutes(-1)));
        _network.LoseResponseAtPart = 1;
        await _iwf.AcceptAsync(Message("in doubt", "t-stale"), CancellationToken.None);
        await _network.TakePartAsync();
        await Task.Delay(500); // several retry passes of the dispatcher (50-200 ms)

        Assert.Single(await _stores.Outbox.PendingAsync(10));
        Assert.Equal(1, _network.PartsWritten);
        Assert.NotNull(await _stores.InterworkingState.FindUnmatchedReceiptAsync("ab12"));
    }

    private sealed record Submitted(string Source, string Destination, string Text, IReadOnlyList<string> Ids);

    private sealed record WrittenPart(string Source, string Text, int Part, int Reference, string Id);

    private sealed class ScriptedSms : ISmsChannel
    {
        private readonly Channel<Submitted> _sent = Channel.CreateUnbounded<Submitted>();
        private int _failures;
        private bool _transient;
        private int _id;

        private readonly Channel<WrittenPart> _parts = Channel.CreateUnbounded<WrittenPart>();
        private int _written;

        public int PartsPerMessage { get; set; } = 1;

        /// <summary>The next submission's part with this number reaches the SMSC, but its response is lost (once).</summary>
        public int LoseResponseAtPart { get; set; }

        public int PartsWritten => Volatile.Read(ref _written);

        public async Task<WrittenPart> TakePartAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return await _parts.Reader.ReadAsync(timeout.Token);
        }

        public void FailNext(int count, bool transient)
        {
            Volatile.Write(ref _failures, count);
            _transient = transient;
        }

        /// <summary>As the ESME does: parts acknowledged before are skipped, each part is journaled before and after it is written.</summary>
        public async Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                throw new SmppSubmitException(_transient ? 0x58u : 0x0Bu, _transient, _transient ? "throttled" : "invalid destination");
            }

            var reference = sms.Reference ?? Random.Shared.Next(256);
            var ids = new List<string>();
            for (var part = 1; part <= PartsPerMessage; part++)
            {
                if (sms.Acknowledged?.TryGetValue(part, out var known) == true)
                {
                    ids.Add(known);
                    continue;
                }

                if (sms.Journal is { } journal)
                {
                    await journal.SubmittingAsync(part, PartsPerMessage, reference, cancellationToken);
                }

                var id = Interlocked.Increment(ref _id).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
                Interlocked.Increment(ref _written);
                _parts.Writer.TryWrite(new WrittenPart(sms.Source, sms.Text, part, reference, id));
                if (LoseResponseAtPart == part)
                {
                    LoseResponseAtPart = 0;
                    throw new SmppSubmitException(0, isTransient: true, $"part {part}/{PartsPerMessage}: no response in time");
                }

                if (sms.Journal is { } done)
                {
                    await done.SubmittedAsync(part, id, cancellationToken);
                }

                ids.Add(id);
            }

            _sent.Writer.TryWrite(new Submitted(sms.Source, sms.Destination, sms.Text, ids));
            return new SubmitResult(ids, ids.Count, "GSM7");
        }

        public async Task<List<Submitted>> TakeAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var list = new List<Submitted>();
            while (list.Count < count)
            {
                list.Add(await _sent.Reader.ReadAsync(timeout.Token));
            }

            return list;
        }
    }

    private sealed class Sink : IConversationSink
    {
        private readonly ConcurrentQueue<InboundConversationMessage> _received = new();

        public ValueTask DeliverAsync(InboundConversationMessage message, CancellationToken cancellationToken)
        {
            _received.Enqueue(message);
            return ValueTask.CompletedTask;
        }

        public bool Has(ConversationKind kind) => _received.Any(m => m.Kind == kind);

        public async Task<InboundConversationMessage> TakeAsync(ConversationKind kind)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                var all = _received.ToArray();
                var match = all.FirstOrDefault(m => m.Kind == kind);
                if (match is not null)
                {
                    var rest = all.Where(m => !ReferenceEquals(m, match)).ToList();
                    _received.Clear();
                    rest.ForEach(_received.Enqueue);
                    return match;
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"no {kind} arrived");
        }
    }
}
