using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>The inbound listener takes mail only for the provider's users: anyone else is refused at RCPT.</summary>
[Collection(EmailCollection.Name)]
public sealed class UnknownRecipientTests(EmailWorld world)
{
    [Fact]
    public async Task Mail_for_a_mailbox_that_is_no_user_here_is_refused_with_550_at_rcpt()
    {
        var (exitCode, transcript) = await Swaks.SendAsync(world.InboundPort, "peter@mail.example", $"nobody@{MailDomain}", "--body", "Anyone there?");

        // swaks: 24 = a RCPT TO was refused (no valid recipient left).
        Assert.True(exitCode == 24, $"swaks exited with {exitCode}, expected 24 (RCPT refused):\n{transcript}");
        Assert.Matches(@"(?m)^<\*\* +550[ -]", transcript);
        Assert.DoesNotMatch(@"(?m)^ *-> DATA", transcript);
    }
}
