using System.Text;
using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>The listener against a client that misbehaves on purpose, byte for byte.</summary>
public sealed class SmtpListenerRawSocketTests
{
    private static async Task<RawSmtpClient> GreetedAsync(ListenerHarness harness, bool ehlo = true)
    {
        var client = await harness.ConnectAsync();
        Assert.StartsWith("220 mx.a.example", await client.ReadReplyAsync(), StringComparison.Ordinal);
        if (ehlo)
        {
            Assert.StartsWith("250-mx.a.example", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        }

        return client;
    }

    [Fact]
    public async Task Ehlo_lists_the_extensions_and_the_size_limit()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness, ehlo: false);

        var reply = await client.CommandAsync("EHLO client.test");

        Assert.Equal("250-mx.a.example Hello client.test\n250-SIZE 65536\n250-8BITMIME\n250-PIPELINING\n250-ENHANCEDSTATUSCODES\n250 STARTTLS", reply);
    }

    [Fact]
    public async Task Garbage_commands_get_500_and_too_many_close_the_session_with_421()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxErrors = 3);
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("500 5.5.2", await client.CommandAsync("HELLO there"), StringComparison.Ordinal);
        await client.SendAsync([0x00, 0xFF, 0x1B, (byte)'[', 0x80, (byte)'\r', (byte)'\n']);
        Assert.StartsWith("500 5.5.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("502 5.5.1", await client.CommandAsync("EXPN staff"), StringComparison.Ordinal);
        Assert.StartsWith("421 4.7.0", await client.CommandAsync("XYZZY"), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(harness.Log.Errors);
    }

    [Fact]
    public async Task A_failed_tls_handshake_closes_only_that_session()
    {
        await using var harness = ListenerHarness.Start();
        await using (var client = await GreetedAsync(harness))
        {
            Assert.StartsWith("220 2.0.0", await client.CommandAsync("STARTTLS"), StringComparison.Ordinal);
            await client.SendAsync("this is not a TLS client hello\r\n");
            Assert.True(await client.IsClosedAsync());
        }

        await using var next = await GreetedAsync(harness);
        Assert.StartsWith("250", await next.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.True(await harness.Log.WaitForEventAsync(2507, TimeSpan.FromSeconds(5)), string.Join("\n", harness.Log.Events));
        Assert.Empty(harness.Log.Errors);
    }

    [Fact]
    public async Task An_overlong_command_line_gets_500_and_the_session_goes_on()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        await client.SendAsync("NOOP " + new string('A', 3000));
        await client.SendAsync(new string('B', 3000) + "\r\n");

        Assert.Equal("500 5.5.2 Line too long", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_line_of_exactly_the_limit_is_accepted()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxLineLength = 100);
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("250", await client.CommandAsync("NOOP " + new string('x', 100 - 7)), StringComparison.Ordinal);
        Assert.StartsWith("500 5.5.2", await client.CommandAsync("NOOP " + new string('x', 100 - 6)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_ending_in_a_bare_lf_is_refused_unless_allowed()
    {
        await using (var harness = ListenerHarness.Start())
        await using (var client = await GreetedAsync(harness, ehlo: false))
        {
            await client.SendAsync("HELO client.test\n");
            Assert.StartsWith("500 5.5.2 Bare LF", await client.ReadReplyAsync(), StringComparison.Ordinal);
        }

        await using (var harness = ListenerHarness.Start(o => o.AllowBareLineFeed = true))
        await using (var client = await GreetedAsync(harness, ehlo: false))
        {
            await client.SendAsync("HELO client.test\n");
            Assert.Equal("250 mx.a.example", await client.ReadReplyAsync());
        }
    }

    [Fact]
    public async Task A_message_with_bare_lf_is_refused_and_nothing_is_stored()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);

        await client.SendAsync("Subject: x\r\n\r\nline one\nline two\r\n.\r\n");

        Assert.StartsWith("554 5.6.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Empty(harness.Received);
        Assert.StartsWith("250", await client.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_with_bare_lf_is_stored_with_crlf_when_allowed()
    {
        await using var harness = ListenerHarness.Start(o => o.AllowBareLineFeed = true);
        await using var client = await GreetedAsync(harness);
        await client.SendAsync("MAIL FROM:<peter@mail.example>\r\nRCPT TO:<mary@a.example>\r\nDATA\r\n");
        await client.ReadReplyAsync();
        await client.ReadReplyAsync();
        await client.ReadReplyAsync();

        await client.SendAsync("Subject: x\n\nline one\nline two\r\n.\r\n");

        Assert.StartsWith("250", await client.ReadReplyAsync(), StringComparison.Ordinal);
        var data = Encoding.ASCII.GetString(Assert.Single(harness.Received).Data.Span);
        Assert.EndsWith("Subject: x\r\n\r\nline one\r\nline two\r\n", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_smuggled_second_message_after_lf_dot_lf_stays_inside_the_first()
    {
        await using var harness = ListenerHarness.Start(o => o.AllowBareLineFeed = true);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync("Subject: real\r\n\r\nhello\n.\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<peter@a.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nboo\r\n.\r\n");

        Assert.StartsWith("250", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("NOOP"), StringComparison.Ordinal);
        var mail = Assert.Single(harness.Received);
        Assert.Equal(["mary@a.example"], mail.Recipients);
        Assert.Contains("Subject: smuggled", Encoding.ASCII.GetString(mail.Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_size_over_the_limit_is_refused_before_any_data()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("552 5.3.4", await client.CommandAsync("MAIL FROM:<peter@mail.example> SIZE=65537"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<peter@mail.example> SIZE=65536 BODY=8BITMIME"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_larger_than_declared_is_refused_on_its_bytes()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxMessageBytes = 1000);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example> SIZE=10");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync(string.Concat(Enumerable.Repeat(new string('z', 98) + "\r\n", 11)) + ".\r\n");

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task A_client_that_keeps_sending_far_past_the_limit_is_cut_off_with_552()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxMessageBytes = 1000);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('f', 98) + "\r\n", 1000)));
        try
        {
            for (var i = 0; i < 12; i++)
            {
                await client.SendAsync(chunk);
            }
        }
        catch (IOException)
        {
            // the listener may close while we are still writing
        }

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task Data_that_stops_arriving_is_given_up_with_421_after_the_data_timeout()
    {
        await using var harness = ListenerHarness.Start(o => o.DataTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync("Subject: slow\r\n");

        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task A_declared_8bitmime_body_is_reported_to_the_hook()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example> BODY=8BITMIME");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync(Encoding.UTF8.GetBytes("Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n.\r\n"));

        Assert.StartsWith("250", await client.ReadReplyAsync(), StringComparison.Ordinal);
        var mail = Assert.Single(harness.Received);
        Assert.True(mail.Is8BitMime);
        Assert.Equal("Grüße", new MimeParser().Parse(mail.Data).TextBody);
    }

    [Fact]
    public async Task A_data_line_over_the_data_line_limit_refuses_the_message()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxDataLineLength = 200);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync("Subject: x\r\n\r\n" + new string('w', 199) + "\r\n.\r\n");

        Assert.StartsWith("554 5.6.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task Commands_out_of_sequence_get_503_and_data_without_recipients_554()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness, ehlo: false);

        Assert.StartsWith("503 5.5.1", await client.CommandAsync("MAIL FROM:<peter@mail.example>"), StringComparison.Ordinal);
        await client.CommandAsync("EHLO client.test");
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"), StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("MAIL FROM:<peter@mail.example>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await client.CommandAsync("RCPT TO:<nobody@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("554 5.5.1", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RSET"), StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MAIL FROM:peter@mail.example", "250")] // lenient: no angle brackets
    [InlineData("MAIL FROM: <peter@mail.example>", "250")] // lenient: space after the colon
    [InlineData("MAIL FROM:<peter@@mail.example>", "501 5.1.7")]
    [InlineData("MAIL FROM:<pëter@mail.example>", "501 5.1.7")]
    [InlineData("MAIL FROM:<peter@mail.example> SIZE=big", "501 5.5.4")]
    [InlineData("MAIL FROM:<peter@mail.example> SMTPUTF8", "555 5.5.4")]
    [InlineData("MAIL TO:<peter@mail.example>", "501 5.5.4")]
    [InlineData("mail from:<@relay.example:peter@mail.example>", "250")] // source route ignored
    public async Task Mail_from_syntax_is_checked(string command, string expected)
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith(expected, await client.CommandAsync(command), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipients_past_the_limit_get_452_and_postmaster_is_passed_to_the_hook()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxRecipients = 2);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");

        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await client.CommandAsync("RCPT TO:<Postmaster>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<peter@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("452 4.5.3", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("555 5.5.4", await client.CommandAsync("RCPT TO:<mary@a.example> NOTIFY=NEVER"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vrfy_noop_rset_and_quit_answer_as_the_rfc_says()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("252 2.5.2", await client.CommandAsync("VRFY mary"), StringComparison.Ordinal);
        Assert.StartsWith("501", await client.CommandAsync("VRFY"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("NOOP anything"), StringComparison.Ordinal);
        Assert.StartsWith("501", await client.CommandAsync("RSET now"), StringComparison.Ordinal);
        Assert.StartsWith("221 2.0.0", await client.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Pipelined_commands_are_all_answered_in_order()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        await client.SendAsync("MAIL FROM:<peter@mail.example>\r\nRCPT TO:<mary@a.example>\r\nRCPT TO:<nobody@a.example>\r\nDATA\r\n");

        Assert.StartsWith("250 2.1.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("354", await client.ReadReplyAsync(), StringComparison.Ordinal);
        await client.SendAsync("Subject: p\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("221", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n.dot\r\n", Encoding.ASCII.GetString(Assert.Single(harness.Received).Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_discards_plaintext_sent_after_it_and_starts_the_session_over()
    {
        await using var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n");
        Assert.StartsWith("220 2.0.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        await client.StartTlsAsync();

        Assert.StartsWith("503 5.5.1", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.DoesNotContain("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<peter@mail.example>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_not_offered_without_a_certificate()
    {
        await using var harness = ListenerHarness.Start(o => o.Certificate = null);
        await using var client = await GreetedAsync(harness, ehlo: false);

        Assert.DoesNotContain("STARTTLS", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("502", await client.CommandAsync("STARTTLS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_session_is_closed_with_421_after_the_command_timeout()
    {
        await using var harness = ListenerHarness.Start(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task The_final_reply_waits_until_the_message_hook_has_stored_the_message()
    {
        await using var harness = ListenerHarness.Start();
        var stored = new TaskCompletionSource<SmtpReply>();
        harness.Listener.OnMessage = (_, _) => new ValueTask<SmtpReply>(stored.Task);
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadReplyAsync(timeoutMs: 300));
        stored.SetResult(new SmtpReply(250, "2.0.0 Stored"));

        Assert.Equal("250 2.0.0 Stored", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_failing_message_hook_answers_451_so_the_sender_keeps_the_message()
    {
        await using var harness = ListenerHarness.Start();
        harness.ErrorsExpected = true;
        harness.Listener.OnMessage = (_, _) => throw new InvalidOperationException("disk full");
        await using var client = await GreetedAsync(harness);
        await client.CommandAsync("MAIL FROM:<peter@mail.example>");
        await client.CommandAsync("RCPT TO:<mary@a.example>");
        await client.CommandAsync("DATA");

        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");

        Assert.StartsWith("451 4.3.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.Contains(harness.Log.Events, e => e.Event.Id == 2506 && e.Exception is InvalidOperationException); // logged before the 451 is written
    }

    [Fact]
    public async Task Stopping_the_listener_says_421_to_open_sessions()
    {
        var harness = ListenerHarness.Start();
        await using var client = await GreetedAsync(harness);

        await harness.DisposeAsync();

        Assert.StartsWith("421 4.3.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Listener.SessionCount);
    }

    [Fact]
    public async Task Connections_past_the_session_limit_get_421()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxSessions = 1);
        await using var first = await GreetedAsync(harness);
        await using var second = await harness.ConnectAsync();

        Assert.StartsWith("421 4.3.2", await second.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await first.CommandAsync("NOOP"), StringComparison.Ordinal);
    }
}
