using Converge.Interop.Support;
using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>
/// Technology selection (CPM-IOP-003): Bob is a subscriber with only an email address; Mary writes
/// to his JID and never picks the technology. His mail comes back in her thread, but under his
/// mail address: mail vouches for nothing, so a From: with a subscriber's address never speaks as
/// the subscriber (anyone can write that header).
/// </summary>
[Collection(EmailCollection.Name)]
public sealed class EmailOnlySubscriberTests(EmailWorld world)
{
    [Fact]
    public async Task Mary_writes_to_bobs_jid_the_mail_reaches_his_address_and_his_reply_comes_from_his_mail_address_in_her_thread()
    {
        var bobsJid = $"{Bob}@{ConvergeServer.Domain}";
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(bobsJid, "Lunch tomorrow?", thread: "bob-lunch");
        var mail = (await world.Relay.MailsForAsync(BobsAddress, 1, world.Context))[0];
        Assert.Equal(MarysAddress, mail.MailFrom);
        Assert.Contains(BobsAddress, mail.To, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Lunch tomorrow?", mail.TrimmedText);

        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, BobsAddress, MarysAddress,
            "--header", "Subject: Re: Lunch tomorrow?",
            "--add-header", $"In-Reply-To: {mail.MessageId}",
            "--body", "Sure, noon at the usual place.\n\nOn Sat, 21 Nov 2026, mary wrote:\n> Lunch tomorrow?\n");
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");

        var reply = await mary.MessageAsync(m => m.Body == "Sure, noon at the usual place.", "Bob's reply");
        Assert.Equal($"{BobsAddress.Replace("@", "\\40", StringComparison.Ordinal)}@{ConvergeServer.Domain}", reply.BareFrom);
        Assert.NotEqual(bobsJid, reply.BareFrom);
        Assert.Equal("bob-lunch", reply.Thread);
    }
}
