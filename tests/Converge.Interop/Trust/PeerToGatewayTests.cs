using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// The legacy gateway's door (DESIGN.md, "Trust boundaries"): only local accounts, or peers whose agreement grants
/// <c>Interworking</c>, may make A send an SMS or a mail. B's agreement does not grant it, so bob@b.test writing to
/// a number or a mail address under a.test is SMS pumping / mail relaying through A, and is refused with
/// <c>not-allowed</c> before anything reaches the SMSC or the relay. The same address written by A's own user
/// alice afterwards does go out, once: the gateway works, and nothing of bob's came late. And bob still reaches a
/// subscriber of A by her number.
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class PeerToGatewayTests(TrustWorld world)
{
    [Fact]
    public async Task A_peer_user_writing_to_a_number_in_no_range_gets_not_allowed_and_no_submit_sm_reaches_the_smsc()
    {
        const string number = StrangersNumber;
        var submitsBefore = (await world.Network.EventsAsync("submit")).Count;
        await using var bob = await world.ClientAsync(world.B, "bob");

        await bob.SendAsync(AtA(number), "Pumped through a.test", id: "pump-sms");
        var answer = await Refusal.AnswerToAsync(bob, "pump-sms", Refusal.PeerErrorWait);
        var early = await world.Network.MessagesAsync(number, 1, Refusal.Quiet);
        var submits = (await world.Network.EventsAsync("submit")).Skip(submitsBefore).Select(e => e.ToString()).ToList();

        // Positive controls: A's own user reaches the same handset through the same gateway, and bob's messages to a
        // number under a.test do arrive when it is a subscriber's (the refusal is about the gateway, not about numbers).
        await using var alice = await world.ClientAsync(world.A, "alice");
        await alice.SendAsync(AtA(number), "From alice, allowed");
        var inbox = await world.Network.InboxUntilAsync(number, "From alice, allowed", Refusal.Arrival, world.Context);
        await bob.SendAsync(AtA(MsisdnOf("alice")), "bob to alice's number");
        var toSubscriber = await alice.TryMessageAsync(m => m.Body == "bob to alice's number", Refusal.Arrival);

        Refusal.NoProblems(
            world.Context,
            ("bob's message to a subscriber's number reaches her (positive control)", toSubscriber is not null ? null : "nothing arrived"),
            ("bob's message to a number in no range is refused", Refusal.Unless(answer, "not-allowed")),
            ("the SMSC receives no submit_sm for bob's message", submits.Count == 0 ? null : $"{submits.Count} submit_sm: {string.Join(", ", submits)}"),
            ("the handset receives nothing from bob", early.Count == 0 ? null : $"it got: {string.Join(" | ", early.Select(m => $"from {m.From}: {m.Text}"))}"),
            ("the handset holds only alice's SMS in the end", inbox.Count == 1 ? null : $"it holds {inbox.Count}: {string.Join(" | ", inbox.Select(m => m.Text))}"));
        Assert.Equal(MsisdnOf("alice"), inbox.Single().From);
    }

    [Fact]
    public async Task A_peer_user_writing_to_an_escaped_mail_address_gets_not_allowed_and_the_relay_receives_nothing()
    {
        const string address = StrangersAddress;
        await using var bob = await world.ClientAsync(world.B, "bob");

        await bob.SendAsync(AtA(address), "Relayed through a.test", id: "pump-mail");
        var answer = await Refusal.AnswerToAsync(bob, "pump-mail", Refusal.PeerErrorWait);
        await Task.Delay(Refusal.Quiet);
        var early = world.Relay.Mails.Where(m => m.IsFor(address)).ToList();

        // Positive control: A's own user reaches the same mailbox through the same relay.
        await using var alice = await world.ClientAsync(world.A, "alice");
        await alice.SendAsync(AtA(address), "From alice, allowed");
        await world.Relay.MailsForAsync(address, 1, world.Context);
        await alice.SyncAsync();
        var mails = world.Relay.Mails.Where(m => m.IsFor(address)).ToList();

        Refusal.NoProblems(
            world.Context,
            ("bob's message to an escaped mail address is refused", Refusal.Unless(answer, "not-allowed")),
            ("the relay receives no mail for bob's message", early.Count == 0 ? null : $"it got {early.Count}: {string.Join(" | ", early.Select(m => $"from {m.MailFrom}: {m.TrimmedText}"))}"),
            ("the relay holds only alice's mail in the end", mails.Count == 1 ? null : $"it holds {mails.Count}: {string.Join(" | ", mails.Select(m => m.TrimmedText))}"));
        Assert.Equal("From alice, allowed", mails.Single().TrimmedText);
    }
}
