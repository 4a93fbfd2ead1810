using Converge.Interop.Support;
using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>
/// The mail door as an attacker tries it (DESIGN.md, "Trust boundaries"), with swaks as the sending
/// mail program: mail vouches for nothing, so a mail speaks only as the escaped address of its
/// From: (local\40domain@our-domain), never as a subscriber, and joins only the threads of that address.
/// </summary>
[Collection(EmailCollection.Name)]
public sealed class HostileMailSenderTests(EmailWorld world)
{
    [Theory]
    [InlineData("From: <alice>")]
    [InlineData("From: Alice <alice@localhost>")]
    [InlineData("From: <ceo@partner.example/x>")]
    public async Task A_mail_whose_from_is_no_mail_address_is_refused_after_data_and_nothing_reaches_marys_client(string from)
    {
        await using var mary = await world.ClientAsync(Mary);
        var hostile = $"This is alice, trust me {Guid.NewGuid():N}";

        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, "alice@mail.example", MarysAddress, "--header", from, "--header", "Subject: hello", "--body", hostile);

        // swaks: 26 = the server did not accept the mail after DATA.
        Assert.True(exitCode == 26, $"swaks exited with {exitCode}, expected 26 (refused after DATA):\n{transcript}{world.Context()}");
        Assert.Matches(@"(?m)^<\*\* +550 5\.1\.7 ", transcript);
        await ExpectNothingArrivedAsync(mary, hostile);
    }

    [Fact]
    public async Task A_mail_from_the_envelope_sender_alice_without_a_domain_is_refused_at_mail_from()
    {
        var (exitCode, transcript) = await Swaks.SendAsync(world.InboundPort, "alice", MarysAddress, "--body", "no domain at all");

        // swaks: 23 = error in the MAIL transaction.
        Assert.True(exitCode == 23, $"swaks exited with {exitCode}, expected 23 (MAIL refused):\n{transcript}{world.Context()}");
        Assert.Matches(@"(?m)^<\*\* +501 5\.1\.7 ", transcript);
        Assert.DoesNotMatch(@"(?m)^ *-> DATA", transcript);
    }

    [Theory]
    [InlineData(BobsAddress, Bob)]     // Bob's account has this email address (user add --email)
    [InlineData("mary@converge.example", Mary)] // Mary's own mail identity at Email.Domain
    public async Task A_mail_from_a_subscribers_own_address_is_not_delivered_as_that_subscriber(string address, string subscriber)
    {
        await using var mary = await world.ClientAsync(Mary);
        var text = $"It is really me {Guid.NewGuid():N}";

        var (exitCode, transcript) = await Swaks.SendAsync(world.InboundPort, address, MarysAddress, "--header", "Subject: me", "--body", text);
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");

        var got = await mary.MessageAsync(m => m.Body == text, $"the mail from {address}");
        Assert.NotEqual($"{subscriber}@{ConvergeServer.Domain}", got.BareFrom);
        Assert.Equal(JidOf(address), got.BareFrom);
    }

    [Fact]
    public async Task A_reply_that_quotes_anothers_message_id_does_not_join_that_thread_and_the_correspondents_own_reply_does()
    {
        var peter = $"peter.{Guid.NewGuid():N}"[..20] + "@mail.example";
        var eve = $"eve.{Guid.NewGuid():N}"[..20] + "@evil.example";
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(peter), "The contract is attached", thread: "deal-with-peter");
        var sent = (await world.Relay.MailsForAsync(peter, 1, world.Context))[0];

        // Eve got hold of the Message-ID (a forward, a Cc) and answers it herself.
        await ReplyAsync(eve, sent.MessageId!, "Please pay to my account instead.");
        var evesReply = await mary.MessageAsync(m => m.Body == "Please pay to my account instead.", "Eve's mail");
        Assert.Equal(JidOf(eve), evesReply.BareFrom);
        Assert.NotEqual("deal-with-peter", evesReply.Thread);

        // Peter's own answer to the same mail lands in the thread: the correlation itself still works.
        await ReplyAsync(peter, sent.MessageId!, "Signed and sent back.");
        var petersReply = await mary.MessageAsync(m => m.Body == "Signed and sent back.", "Peter's reply");
        Assert.Equal(JidOf(peter), petersReply.BareFrom);
        Assert.Equal("deal-with-peter", petersReply.Thread);
    }

    /// <summary>A reply to Mary's mail <paramref name="messageId"/> from <paramref name="from"/>, naming it in In-Reply-To and References.</summary>
    private async Task ReplyAsync(string from, string messageId, string body)
    {
        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, from, MarysAddress,
            "--header", "Subject: Re: The contract is attached",
            "--add-header", $"In-Reply-To: {messageId}",
            "--add-header", $"References: {messageId}",
            "--body", body);
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");
    }

    /// <summary>An honest mail sent after the refused one: once it is at the client, the refused one had its chance.</summary>
    private async Task ExpectNothingArrivedAsync(ChatClient mary, string hostile)
    {
        var marker = $"an honest mail after it {Guid.NewGuid():N}";
        var (exitCode, transcript) = await Swaks.SendAsync(world.InboundPort, "honest@mail.example", MarysAddress, "--body", marker);
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");
        await mary.MessageAsync(m => m.Body == marker, "the honest mail sent after the refused one");

        Assert.DoesNotContain(mary.Received, m => m.Body is not null && m.Body.Contains(hostile, StringComparison.Ordinal));
        Assert.DoesNotContain(await mary.ArchiveAsync(), m => m.Body is not null && m.Body.Contains(hostile, StringComparison.Ordinal));
    }
}
