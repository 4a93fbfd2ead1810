using System.Net;
using System.Net.Sockets;
using System.Text;
using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>The sender against real receiving servers: aiosmtpd as the smart host or MX, dnsmasq for the MX records.</summary>
public sealed class SmtpSenderTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    private static SmtpSenderOptions Options(string? relay = null) => new()
    {
        Relay = relay,
        HeloName = "iwf.a.example",
        ValidateServerCertificate = false,
        ConnectTimeout = Short,
        GreetingTimeout = Short,
        CommandTimeout = Short,
        DnsTimeout = TimeSpan.FromSeconds(1),
    };

    private static byte[] Message(string text = "Lunch tomorrow?", string to = "peter@mail.example") => MimeWriter.Write(new OutboundMail
    {
        From = new MailboxAddress("Mary", "mary@a.example"),
        To = [new MailboxAddress(null, to)],
        Subject = "Lunch",
        MessageId = "thread-1.1@a.example",
        Text = text,
    });

    [Fact]
    public async Task Mail_through_the_relay_arrives_with_its_envelope()
    {
        await using var sink = await AiosmtpdSink.StartAsync();
        var message = Message(".leading dot\nGrüße\n.");

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync("mary@a.example", ["peter@mail.example"], message, CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        var recipient = Assert.Single(result.Recipients);
        Assert.Equal(250, recipient.ReplyCode);
        Assert.Contains("queued as 1", recipient.Reply, StringComparison.Ordinal);
        var (data, envelope) = Assert.Single(sink.Messages());
        Assert.Equal(message, data);
        Assert.Equal("mary@a.example", envelope.GetProperty("mail_from").GetString());
        Assert.Equal("peter@mail.example", envelope.GetProperty("rcpt_tos")[0].GetString());
        Assert.Equal("iwf.a.example", envelope.GetProperty("helo").GetString());
        Assert.Contains($"SIZE={message.Length}", envelope.GetProperty("mail_options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(".leading dot\nGrüße\n.", new MimeParser().Parse(data).TextBody);
    }

    [Fact]
    public async Task Eight_bit_content_is_declared_with_body_8bitmime()
    {
        await using var sink = await AiosmtpdSink.StartAsync();
        var message = Encoding.UTF8.GetBytes("Subject: raw\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n");

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync("mary@a.example", ["peter@mail.example"], message, CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        Assert.Contains("BODY=8BITMIME", Assert.Single(sink.Messages()).Envelope.GetProperty("mail_options").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task Starttls_is_used_when_the_server_offers_it()
    {
        await using var sink = await AiosmtpdSink.StartAsync(tls: true);

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync("mary@a.example", ["peter@mail.example"], Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        Assert.True(Assert.Single(sink.Messages()).Envelope.GetProperty("tls").GetBoolean());
    }

    [Fact]
    public async Task An_untrusted_certificate_falls_back_to_clear_text_unless_tls_is_required()
    {
        await using var sink = await AiosmtpdSink.StartAsync(tls: true);
        var options = Options(sink.Relay);
        options.ValidateServerCertificate = true;

        var opportunistic = await new SmtpSender(options).SendAsync("mary@a.example", ["peter@mail.example"], Message(), CancellationToken.None);
        options.RequireTls = true;
        var required = await new SmtpSender(options).SendAsync("mary@a.example", ["peter@mail.example"], Message(), CancellationToken.None);

        Assert.True(opportunistic.IsDelivered, opportunistic.ToString());
        Assert.False(Assert.Single(sink.Messages()).Envelope.GetProperty("tls").GetBoolean());
        Assert.Equal(SmtpDeliveryStatus.TransientFailure, required.Status);
        Assert.Null(required.Recipients[0].ReplyCode);
    }

    [Fact]
    public async Task A_451_is_a_transient_failure_and_a_550_a_permanent_one_per_recipient()
    {
        await using var sink = await AiosmtpdSink.StartAsync();

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync(
            "mary@a.example", ["defer.peter@mail.example", "reject.paul@mail.example", "anna@mail.example"], Message(), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.TransientFailure, result.Status);
        Assert.Equal(
            [(SmtpDeliveryStatus.TransientFailure, 451), (SmtpDeliveryStatus.PermanentFailure, 550), (SmtpDeliveryStatus.Delivered, 250)],
            result.Recipients.Select(r => (r.Status, r.ReplyCode ?? 0)));
        Assert.Contains("5.1.1", result.Recipients[1].Reply, StringComparison.Ordinal);
        Assert.Equal(["anna@mail.example"], Assert.Single(sink.Messages()).Envelope.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Only_refused_recipients_make_a_permanent_failure_without_data()
    {
        await using var sink = await AiosmtpdSink.StartAsync();

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync("mary@a.example", ["reject.paul@mail.example"], Message(), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.PermanentFailure, result.Status);
        Assert.Empty(sink.Messages());
    }

    [Fact]
    public async Task A_message_over_the_servers_size_is_refused_without_sending_it()
    {
        await using var sink = await AiosmtpdSink.StartAsync(sizeLimit: 1000);

        var result = await new SmtpSender(Options(sink.Relay)).SendAsync("mary@a.example", ["peter@mail.example"], Message(new string('x', 3000)), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.PermanentFailure, result.Status);
        Assert.StartsWith("5.3.4", result.Recipients[0].Reply, StringComparison.Ordinal);
        Assert.Empty(sink.Messages());
    }

    [Fact]
    public async Task A_relay_that_is_down_is_a_transient_failure()
    {
        var port = ClosedPort();

        var result = await new SmtpSender(Options($"127.0.0.1:{port}")).SendAsync("mary@a.example", ["peter@mail.example"], Message(), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.TransientFailure, result.Status);
        Assert.Null(result.Recipients[0].ReplyCode);
        Assert.Contains("Connection refused", result.Recipients[0].Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_mail_to_a_pipelining_server_gets_every_reply()
    {
        await using var harness = ListenerHarness.Start();

        var result = await new SmtpSender(Options($"127.0.0.1:{harness.Port}")).SendAsync(
            "mary@mail.example", ["mary@a.example", "nobody@a.example", "peter@a.example"], Message(), CancellationToken.None);

        Assert.Equal(
            [SmtpDeliveryStatus.Delivered, SmtpDeliveryStatus.PermanentFailure, SmtpDeliveryStatus.Delivered],
            result.Recipients.Select(r => r.Status));
        var mail = Assert.Single(harness.Received);
        Assert.True(mail.IsSecure); // the listener offers STARTTLS and the sender took it
        Assert.Equal(["mary@a.example", "peter@a.example"], mail.Recipients);
    }

    [Fact]
    public async Task Mail_goes_to_the_domains_mx_and_on_to_the_next_one_when_the_first_is_down()
    {
        await using var sink = await AiosmtpdSink.StartAsync();
        await using var dns = await DnsmasqServer.StartAsync(
            "--mx-host=mail.test,mx1.mail.test,10", "--mx-host=mail.test,mx2.mail.test,20",
            "--host-record=mx1.mail.test,127.0.0.2", "--host-record=mx2.mail.test,127.0.0.1",
            "--host-record=plain.test,127.0.0.1");
        var options = Options();
        options.DnsServer = dns.Endpoint;
        options.MxPort = sink.Port;
        options.AllowInternalMailHosts = true; // the sink is on loopback
        var sender = new SmtpSender(options);

        var viaMx = await sender.SendAsync("mary@a.example", ["peter@mail.test"], Message(to: "peter@mail.test"), CancellationToken.None);
        var implicitMx = await sender.SendAsync("mary@a.example", ["anna@plain.test"], Message(to: "anna@plain.test"), CancellationToken.None);
        var noDomain = await sender.SendAsync("mary@a.example", ["who@nowhere.test"], Message(to: "who@nowhere.test"), CancellationToken.None);

        Assert.True(viaMx.IsDelivered, viaMx.ToString());
        Assert.Equal("mx2.mail.test", viaMx.Recipients[0].Host);
        Assert.True(implicitMx.IsDelivered, implicitMx.ToString());
        Assert.Equal(SmtpDeliveryStatus.PermanentFailure, noDomain.Status);
        Assert.StartsWith("5.1.2", noDomain.Recipients[0].Reply, StringComparison.Ordinal);
        Assert.Equal(2, sink.Messages().Count);
    }

    [Fact]
    public async Task Mail_hosts_at_loopback_private_or_link_local_addresses_are_never_connected_to()
    {
        await using var sink = await AiosmtpdSink.StartAsync();
        await using var dns = await DnsmasqServer.StartAsync(
            "--mx-host=mail.test,mx1.mail.test,10", "--mx-host=mail.test,mx2.mail.test,20",
            "--host-record=mx1.mail.test,169.254.169.254", "--host-record=mx2.mail.test,127.0.0.1",
            "--host-record=plain.test,127.0.0.1", "--host-record=private.test,10.0.0.5",
            "--host-record=v6.test,::1");
        var options = Options();
        options.DnsServer = dns.Endpoint;
        options.MxPort = sink.Port;
        var sender = new SmtpSender(options);

        string[] recipients =
            ["peter@mail.test", "anna@plain.test", "x@private.test", "y@v6.test", "z@[127.0.0.1]", "w@[IPv6:::1]", "v@[IPv6:::ffff:127.0.0.1]"];
        var result = await sender.SendAsync("mary@a.example", recipients, Message(to: "peter@mail.test"), CancellationToken.None);

        Assert.All(result.Recipients, r =>
        {
            Assert.Equal(SmtpDeliveryStatus.PermanentFailure, r.Status);
            Assert.StartsWith("5.4.4", r.Reply, StringComparison.Ordinal);
        });
        Assert.Empty(sink.Messages());
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("192.0.2.1", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::ffff:192.0.2.1", false)]
    public void Internal_addresses_are_recognised(string address, bool isInternal) =>
        Assert.Equal(isInternal, MailHostResolver.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public async Task A_dns_server_that_does_not_answer_is_a_transient_failure()
    {
        var options = Options();
        options.DnsServer = new IPEndPoint(IPAddress.Loopback, ClosedPort());

        var result = await new SmtpSender(options).SendAsync("mary@a.example", ["peter@mail.test"], Message(), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.TransientFailure, result.Status);
        Assert.StartsWith("4.4.3", result.Recipients[0].Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_a_send_that_waits_on_a_silent_server()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SmtpSender(Options($"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}")).SendAsync("mary@a.example", ["peter@mail.example"], Message(), cancellation.Token));
    }

    [Fact]
    public async Task A_silent_server_is_a_transient_failure_after_the_greeting_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = Options($"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        options.GreetingTimeout = TimeSpan.FromMilliseconds(300);

        var result = await new SmtpSender(options).SendAsync("mary@a.example", ["peter@mail.example"], Message(), CancellationToken.None);

        Assert.Equal(SmtpDeliveryStatus.TransientFailure, result.Status);
        Assert.Contains("No reply", result.Recipients[0].Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_ehlo_gets_helo_and_plain_smtp()
    {
        await using var server = new ScriptedSmtpServer("220 old.example SMTP", line => line.Split(' ')[0] switch
        {
            "EHLO" => "502 Command not implemented",
            "HELO" => "250 old.example",
            "MAIL" or "RCPT" => "250 OK",
            "DATA" => "354 Go ahead",
            "QUIT" => "221 Bye",
            _ => "500 What?",
        });

        var result = await new SmtpSender(Options($"127.0.0.1:{server.Port}")).SendAsync("mary@a.example", ["peter@old.example"], Message(".hidden"), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        var lines = server.Received.ToList();
        Assert.Equal(["EHLO iwf.a.example", "HELO iwf.a.example", "MAIL FROM:<mary@a.example>", "RCPT TO:<peter@old.example>", "DATA"], lines[..5]);
        Assert.Contains("..hidden", lines); // dot-stuffed on the wire
        Assert.Equal(["QUIT"], lines[^1..]);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
