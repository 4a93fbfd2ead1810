using Converge.Interop.Support;
using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// Issue 15, item 4: a pending XEP-0155 invitation is stored, not held in memory. The server is
/// killed (SIGKILL) after Mary's invitation reached Peter's handset and before his YES; the YES sent
/// after the restart still comes back to Mary's client as the session accept, in the invitation's
/// thread. Each test runs its own provider on the shared network, since it kills it.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class RestartBetweenInvitationAndAnswerTests(SmsWorld world)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);
    private static readonly Subscriber InvitingMary = new("mary", "+4917200100");

    [Fact]
    public async Task A_yes_after_a_kill_and_restart_reaches_mary_as_the_accept_and_a_stranger_s_yes_does_not()
    {
        const string systemId = "conv-inv-rst";
        const string peter = "+4915191000001";
        const string stranger = "+4915191000002";
        await using var server = await StartServerAsync(world.Network, systemId, ["+4917200"], ["+4940777000"], [InvitingMary],
            sms => sms["SessionInviteTimeout"] = "00:10:00");
        string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC simulator:\n{world.Network.Log}";

        await using (var mary = await CpmClient.StartAsync(server.ClientPort, InvitingMary, Context))
        {
            await mary.SessionAsync(JidOf(peter), "request", thread: "before-the-crash");
            var invitation = (await world.Network.ExpectInboxAsync(peter, 1, Arrival, Context))[0];
            Assert.Contains("invites you to chat", invitation.Text, StringComparison.Ordinal);
            await server.KillAsync();
        }

        await server.RestartAsync();
        await using var again = await CpmClient.StartAsync(server.ClientPort, InvitingMary, Context);

        // Someone who was never invited answers YES first: for them it is an ordinary message.
        await world.Network.SendAsync(stranger, InvitingMary.Msisdn!, "YES");
        var plain = await again.MessageAsync(m => m.From == JidOf(stranger), "the stranger's YES");
        Assert.Null(plain.Session);
        Assert.Equal("YES", plain.Body);

        await world.Network.SendAsync(peter, InvitingMary.Msisdn!, "yes");
        var accept = await again.MessageAsync(m => m.From == JidOf(peter) && m.Session is not null, "Peter's answer after the restart");
        Assert.True(accept.IsSessionAccept, $"YES after the restart should come back as accept=1, got {accept}{Context()}");
        Assert.Equal("before-the-crash", accept.Thread);

        // The invitation was answered once: a second YES is just a message, in the session's thread.
        await world.Network.SendAsync(peter, InvitingMary.Msisdn!, "yes");
        var second = await again.MessageAsync(m => m.From == JidOf(peter) && m != accept && m.Body == "yes", "Peter's second YES");
        Assert.Null(second.Session);
        Assert.Equal("before-the-crash", second.Thread);
    }
}
