using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>The listener driven by the real swaks, as a mail server on the other side would.</summary>
public sealed class SmtpListenerSwaksTests
{
    private static MailMessage Read(ReceivedMail mail) => new MimeParser().Parse(mail.Data);

    [Fact]
    public async Task A_plain_mail_is_received_with_its_envelope_and_a_trace_field()
    {
        await using var harness = ListenerHarness.Start();

        var (exit, transcript) = await Swaks.RunAsync(harness,
            "--from", "peter@mail.example", "--to", "mary@a.example",
            "--header", "Subject: Hello Mary", "--body", "Plain text from swaks.");

        Assert.True(exit == 0, transcript);
        var mail = Assert.Single(harness.Received);
        Assert.Equal("peter@mail.example", mail.ReversePath);
        Assert.Equal(["mary@a.example"], mail.Recipients);
        Assert.Equal("client.mail.example", mail.HeloName);
        Assert.False(mail.IsSecure);
        var message = Read(mail);
        Assert.Equal("Hello Mary", message.Subject);
        Assert.Equal("Plain text from swaks.", message.TextBody);
        Assert.StartsWith("Received: from client.mail.example ([127.0.0.1])", message.Headers[0].Field + ": " + message.Headers[0].Value, StringComparison.Ordinal);
        Assert.Contains("250 2.0.0 Stored as " + mail.TransactionId, transcript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mixed-attachment-rfc2231")]
    [InlineData("base64-utf8-body")]
    [InlineData("encoded-words-iso-8859-15")]
    [InlineData("gmail-reply-alternative")]
    [InlineData("apple-mail-reply")]
    public async Task A_corpus_message_sent_by_swaks_arrives_intact(string name)
    {
        await using var harness = ListenerHarness.Start();
        var file = Path.Combine(EmailTestPaths.Corpus, name + ".eml");

        var (exit, transcript) = await Swaks.RunAsync(harness, "--from", "peter@mail.example", "--to", "mary@a.example", "--data", "@" + file);

        Assert.True(exit == 0, transcript);
        var received = Read(Assert.Single(harness.Received));
        var original = new MimeParser().Parse(File.ReadAllBytes(file));
        Assert.Equal(original.Subject, received.Subject);
        Assert.Equal(original.MessageId, received.MessageId);
        Assert.Equal(original.InReplyTo, received.InReplyTo);
        Assert.Equal(original.References, received.References);
        Assert.Equal(original.TextBody, received.TextBody);
        Assert.Equal(original.From, received.From);
    }

    [Fact]
    public async Task Mail_over_starttls_is_received_as_secure()
    {
        await using var harness = ListenerHarness.Start();

        var (exit, transcript) = await Swaks.RunAsync(harness, "--tls", "--from", "peter@mail.example", "--to", "mary@a.example", "--body", "Secret.");

        Assert.True(exit == 0, transcript);
        Assert.Contains("<~  250", transcript, StringComparison.Ordinal); // swaks marks replies read over TLS with "~"
        var mail = Assert.Single(harness.Received);
        Assert.True(mail.IsSecure);
        Assert.Contains("with ESMTPS", Read(mail).Headers["Received"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_recipient_is_refused_with_550()
    {
        await using var harness = ListenerHarness.Start();

        var (exit, transcript) = await Swaks.RunAsync(harness, "--from", "peter@mail.example", "--to", "nobody@a.example", "--body", "Hello?");

        Assert.NotEqual(0, exit);
        Assert.Contains("<** 550 5.1.1", transcript, StringComparison.Ordinal);
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_with_552_and_discarded()
    {
        await using var harness = ListenerHarness.Start(o => o.MaxMessageBytes = 4096);

        var (exit, transcript) = await Swaks.RunAsync(harness, "--from", "peter@mail.example", "--to", "mary@a.example", "--body", new string('x', 70) + string.Concat(Enumerable.Repeat("\n" + new string('y', 70), 100)));

        Assert.NotEqual(0, exit);
        Assert.Contains("<** 552 5.3.4", transcript, StringComparison.Ordinal);
        Assert.Empty(harness.Received);
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var harness = ListenerHarness.Start();

        var (exit, transcript) = await Swaks.RunAsync(harness, "--pipeline", "--from", "peter@mail.example", "--to", "mary@a.example,nobody@a.example,peter@a.example", "--body", "To many.");

        Assert.True(exit == 0, transcript);
        var mail = Assert.Single(harness.Received);
        Assert.Equal(["mary@a.example", "peter@a.example"], mail.Recipients);
        Assert.Contains("550 5.1.1", transcript, StringComparison.Ordinal);
    }
}
