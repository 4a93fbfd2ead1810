using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>Seed 003, 5.8.6 with email: a XEP-0155 invitation becomes a mail in plain words, a YES reply the accept.</summary>
[Collection(EmailCollection.Name)]
public sealed class EmailSessionInvitationTests(EmailWorld world)
{
    [Fact]
    public async Task Marys_invitation_reaches_vera_as_a_mail_and_her_yes_reply_comes_back_as_the_accept_in_the_same_thread()
    {
        const string vera = "vera@mail.example";
        await using var mary = await world.ClientAsync(Mary);

        await mary.SessionAsync(JidOf(vera), "request", thread: "invite-t7");
        var invitation = (await world.Relay.MailsForAsync(vera, 1, world.Context))[0];
        Assert.Equal(MarysAddress, invitation.MailFrom);
        Assert.Contains("invites you to chat", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("Reply YES", invitation.Text, StringComparison.Ordinal);
        Assert.Contains(MarysJid, invitation.Text, StringComparison.Ordinal);

        // Vera's mail program quotes the invitation under her answer.
        var quoted = string.Join('\n', invitation.TrimmedText!.Split('\n').Select(l => "> " + l));
        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, vera, MarysAddress,
            "--header", $"Subject: Re: {invitation.Subject}",
            "--add-header", $"In-Reply-To: {invitation.MessageId}",
            "--add-header", $"References: {invitation.MessageId}",
            "--body", $"YES\n\nOn Sat, 21 Nov 2026 at 09:00, mary <{MarysAddress}> wrote:\n{quoted}\n");
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");

        var answer = await mary.MessageAsync(m => m.BareFrom == JidOf(vera) && m.Session is not null, "Vera's answer to the invitation");
        Assert.True(answer.IsSessionAccept, $"YES should come back as accept=1, got {answer}");
        Assert.Equal("invite-t7", answer.Thread);
    }
}
