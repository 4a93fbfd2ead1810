using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>Seed 003, flow 4: Mary's messages carried by email, both ways, are in her server-side archive (XEP-0313).</summary>
[Collection(EmailCollection.Name)]
public sealed class EmailArchiveTests(EmailWorld world)
{
    [Fact]
    public async Task Marys_email_carried_messages_both_ways_are_in_her_archive_in_order()
    {
        const string paul = "paul@mail.example";
        var paulsJid = JidOf(paul);
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(paulsJid, "Out by email", thread: "archive-t8");
        var mail = (await world.Relay.MailsForAsync(paul, 1, world.Context))[0];
        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, paul, MarysAddress,
            "--header", $"Subject: Re: {mail.Subject}",
            "--add-header", $"In-Reply-To: {mail.MessageId}",
            "--body", "Back by email");
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");
        await mary.MessageAsync(m => m.BareFrom == paulsJid && m.Body == "Back by email", "Paul's mail");

        var archived = await mary.ArchiveAsync(paulsJid);

        Assert.Equal(["Out by email", "Back by email"], archived.Select(m => m.Body));
        Assert.Equal(MarysJid, archived[0].From.Split('/')[0]);
        Assert.Equal(paulsJid, archived[0].To);
        Assert.Equal(paulsJid, archived[1].From.Split('/')[0]);
        Assert.Equal("archive-t8", archived[0].Thread);
        Assert.Equal("archive-t8", archived[1].Thread);
    }
}
