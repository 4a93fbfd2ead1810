using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// Seed 003, 5.8.6 and 5.9.6: session invitations (XEP-0155) adapted to SMS in plain words, both ways.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class SessionInvitationTests(SmsWorld world)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Marys_invitations_reach_peter_as_sms_and_his_yes_no_or_silence_come_back_as_xep0155_answers()
    {
        const string peter = "+4915140000001";
        var from = JidOf(peter);
        await using var mary = await world.ClientAsync(Mary);

        // Accepted: YES (in any case) comes back as the accept, in the invitation's thread; the session keeps it.
        await mary.SessionAsync(from, "request", thread: "invite-accepted");
        var invitation = (await world.Network.ExpectInboxAsync(peter, 1, Arrival, world.Context))[0];
        Assert.Equal(Mary.Msisdn, invitation.From);
        Assert.Contains("invites you to chat", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("Reply YES", invitation.Text, StringComparison.Ordinal);
        Assert.Contains(Mary.Jid, invitation.Text, StringComparison.Ordinal);
        await world.Network.SendAsync(peter, Mary.Msisdn!, "Yes");
        var accept = await mary.MessageAsync(m => m.From == from && m.Session is not null, "the accept of the first invitation");
        Assert.True(accept.IsSessionAccept, $"YES should come back as accept=1, got {accept}");
        Assert.Equal("invite-accepted", accept.Thread);

        await world.Network.SendAsync(peter, Mary.Msisdn!, "Glad to chat");
        var inSession = await mary.MessageAsync(m => m.From == from && m.Body == "Glad to chat", "Peter's SMS during the session");
        Assert.Equal("invite-accepted", inSession.Thread);
        await world.Network.SendAsync(peter, Mary.Msisdn!, "END");
        var ended = await mary.MessageAsync(m => m.From == from && m.IsSessionTerminate, "END as the session's end");
        Assert.Equal("invite-accepted", ended.Thread);

        // Declined: NO.
        await mary.SessionAsync(from, "request", thread: "invite-declined");
        Assert.Contains("invites you to chat", (await world.Network.ExpectInboxAsync(peter, 2, Arrival, world.Context))[1].Text, StringComparison.Ordinal);
        await world.Network.SendAsync(peter, Mary.Msisdn!, "no");
        var decline = await mary.MessageAsync(m => m.From == from && m.Thread == "invite-declined" && m.Session is not null, "the answer to the second invitation");
        Assert.True(decline.IsSessionDecline, $"NO should come back as accept=0, got {decline}");

        // Not answered within Sms.SessionInviteTimeout: declined.
        await mary.SessionAsync(from, "request", thread: "invite-unanswered");
        Assert.Contains("invites you to chat", (await world.Network.ExpectInboxAsync(peter, 3, Arrival, world.Context))[2].Text, StringComparison.Ordinal);
        var timedOut = await mary.MessageAsync(
            m => m.From == from && m.Thread == "invite-unanswered" && m.Session is not null,
            "the decline of the unanswered invitation",
            SessionInviteTimeout + TimeSpan.FromSeconds(10));
        Assert.True(timedOut.IsSessionDecline, $"silence should come back as accept=0, got {timedOut}");
    }

    [Fact]
    public async Task Johns_chat_keyword_reaches_mary_as_a_xep0155_request_and_her_answers_reach_his_handset()
    {
        const string john = "+4915140000002";
        var from = JidOf(john);
        await using var mary = await world.ClientAsync(Mary);

        await world.Network.SendAsync(john, Mary.Msisdn!, "CHAT");
        var request = await mary.MessageAsync(m => m.From == from && m.Session is not null, "John's invitation");
        Assert.True(request.IsSessionRequest, $"CHAT should come as a XEP-0155 request (form), got {request}");
        Assert.False(string.IsNullOrEmpty(request.Thread));

        await mary.SessionAsync(from, "accept", thread: request.Thread);
        var accepted = (await world.Network.ExpectInboxAsync(john, 1, Arrival, world.Context))[0];
        Assert.Equal(Mary.Msisdn, accepted.From);
        Assert.Contains("accepted your chat request", accepted.Text, StringComparison.Ordinal);

        await world.Network.SendAsync(john, Mary.Msisdn!, "Great, hello Mary");
        var inSession = await mary.MessageAsync(m => m.From == from && m.Body == "Great, hello Mary", "John's SMS during the session");
        Assert.Equal(request.Thread, inSession.Thread);

        await world.Network.SendAsync(john, Mary.Msisdn!, "chat");
        var second = await mary.MessageAsync(m => m.From == from && m.IsSessionRequest && m != request, "John's second invitation");
        await mary.SessionAsync(from, "decline", thread: second.Thread);
        var declined = (await world.Network.ExpectInboxAsync(john, 2, Arrival, world.Context))[1];
        Assert.Contains("declined your chat request", declined.Text, StringComparison.Ordinal);
    }
}
