using System.Collections.Concurrent;
using System.Text;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Interworking.Email;
using Converge.Interworking.Function;
using Converge.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Tests.Function;

/// <summary>
/// Inbound mail at the interworking function, over a real SQLite thread map: who a mail may say it is
/// from, and which thread a reply may join. The same cases run through the SMTP listener with swaks
/// in the end-to-end tests.
/// </summary>
public sealed class EmailInterworkingTests : IAsyncLifetime
{
    private const string Mary = "mary@a.example";
    private const string MarysMailbox = "mary@converge.example";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iwf-mail-" + Guid.NewGuid().ToString("N"));
    private readonly Sink _sink = new();
    private IStores _stores = null!;
    private EmailInterworking _iwf = null!;

    public async Task InitializeAsync()
    {
        _stores = await SqliteStores.OpenAsync(Path.Combine(_dir, "t.db"));
        _iwf = new EmailInterworking(
            new InterworkingSettings { Domain = "a.example" },
            "converge.example",
            _stores.Outbox,
            _stores.ThreadMap,
            _stores.InterworkingState,
            new NoRelay(),
            _sink,
            mailbox => mailbox == MarysMailbox ? Mary : null,
            NullLogger<EmailInterworking>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _iwf.DisposeAsync();
        await _stores.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("From: <alice>\r\n")]                                   // no domain
    [InlineData("From: alice\r\n")]
    [InlineData("From: Alice <alice@localhost>\r\n")]                   // single-label domain: no mail address
    [InlineData("From: <alice@sms>\r\n")]
    [InlineData("From: a@mail.example, b@mail.example\r\n")]           // two authors
    [InlineData("From: <ceo@partner.example/x>\r\n")]
    [InlineData("")]                                                    // no From: at all
    public async Task A_mail_whose_from_is_no_single_routable_address_is_refused_with_550_5_1_7_and_delivers_nothing(string from)
    {
        using var refusals = new RefusalCounter();

        var reply = await _iwf.DeliverAsync("bounce@mail.example", [MarysMailbox], Mail(from + "Subject: hi\r\n", "Trust me"), CancellationToken.None);

        Assert.Equal(550, reply.Code);
        Assert.StartsWith("5.1.7 ", reply.Text, StringComparison.Ordinal);
        Assert.Empty(_sink.All);
        Assert.True(refusals.Email >= 1, "the refusal is counted");
    }

    [Fact]
    public async Task The_sender_is_the_from_address_escaped_in_our_domain_never_the_envelope_sender()
    {
        var reply = await _iwf.DeliverAsync("mary@a.example", [MarysMailbox], Mail("From: Peter <Peter@Mail.Example>\r\n", "Hello Mary"), CancellationToken.None);

        Assert.Equal(250, reply.Code);
        var message = Assert.Single(_sink.All);
        Assert.Equal("peter\\40mail.example@a.example", message.From);
        Assert.Equal(Mary, message.To);
        Assert.Equal("peter@mail.example", EscapedEmail.FromLocalpart(Jid.Parse(message.From).Local));
    }

    [Fact]
    public async Task A_reply_from_the_correspondent_joins_the_thread_its_in_reply_to_names()
    {
        await BindSentMailAsync("t1.1@converge.example", "peter@mail.example", "t1");

        await _iwf.DeliverAsync("peter@mail.example", [MarysMailbox], Mail("From: peter@mail.example\r\nIn-Reply-To: <t1.1@converge.example>\r\n", "Yes"), CancellationToken.None);

        Assert.Equal("t1", Assert.Single(_sink.All).Thread);
    }

    [Fact]
    public async Task Someone_else_quoting_that_message_id_does_not_join_the_thread()
    {
        await BindSentMailAsync("t1.1@converge.example", "peter@mail.example", "t1");

        await _iwf.DeliverAsync(
            "eve@evil.example", [MarysMailbox],
            Mail("From: eve@evil.example\r\nIn-Reply-To: <t1.1@converge.example>\r\nReferences: <t1.1@converge.example>\r\n", "Please wire the money"),
            CancellationToken.None);

        var message = Assert.Single(_sink.All);
        Assert.Equal("eve\\40evil.example@a.example", message.From);
        Assert.NotEqual("t1", message.Thread);
    }

    [Fact]
    public async Task Someone_else_quoting_that_message_id_lands_in_their_own_thread_with_the_user()
    {
        await BindSentMailAsync("t1.1@converge.example", "peter@mail.example", "t1");
        await BindSentMailAsync("t2.1@converge.example", "eve@evil.example", "t2");

        // Eve answers her own thread but also names Peter's mail, newest first as a forger would.
        await _iwf.DeliverAsync(
            "eve@evil.example", [MarysMailbox],
            Mail("From: eve@evil.example\r\nIn-Reply-To: <t1.1@converge.example>\r\nReferences: <t2.1@converge.example> <t1.1@converge.example>\r\n", "About that"),
            CancellationToken.None);

        Assert.Equal("t2", Assert.Single(_sink.All).Thread);
    }

    [Fact]
    public async Task A_reply_in_a_thread_becomes_the_mail_our_next_one_answers_under_its_subject_without_re()
    {
        await BindSentMailAsync("t1.1@converge.example", "peter@mail.example", "t1");

        await _iwf.DeliverAsync(
            "peter@mail.example", [MarysMailbox],
            Encoding.UTF8.GetBytes($"From: peter@mail.example\r\nSubject: Re: Lunch?\r\nIn-Reply-To: <t1.1@converge.example>\r\nTo: {MarysMailbox}\r\nMessage-ID: <answer@mail.example>\r\n\r\nYes\r\n"),
            CancellationToken.None);

        var emailThread = await _stores.ThreadMap.FindEmailThreadAsync(Jid.Parse(Mary), "peter@mail.example", "t1");
        Assert.Equal(new EmailThread(Jid.Parse(Mary), "peter@mail.example", "t1", "Lunch?", "answer@mail.example"), emailThread);
    }

    private Task BindSentMailAsync(string messageId, string correspondent, string thread) =>
        _stores.ThreadMap.BindMessageIdAsync(new MessageIdBinding(messageId, Jid.Parse(Mary), correspondent, thread, "Hello"));

    private static ReadOnlyMemory<byte> Mail(string headers, string body) =>
        Encoding.UTF8.GetBytes($"{headers}To: {MarysMailbox}\r\nMessage-ID: <{Guid.NewGuid():N}@mail.example>\r\n\r\n{body}\r\n");

    private sealed class NoRelay : IMailChannel
    {
        public Task<SmtpDeliveryResult> SendAsync(string envelopeFrom, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("these tests send no mail");
    }

    private sealed class Sink : IConversationSink
    {
        private readonly ConcurrentQueue<InboundConversationMessage> _received = new();

        public IReadOnlyList<InboundConversationMessage> All => [.. _received];

        public ValueTask DeliverAsync(InboundConversationMessage message, CancellationToken cancellationToken)
        {
            _received.Enqueue(message);
            return ValueTask.CompletedTask;
        }
    }
}
