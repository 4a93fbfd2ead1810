using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// A block holds on every route to the subscriber, the SMS route included (issue 11: "checked against the resolved
/// account, so a number alias or an SMS route cannot bypass a block"). dave has only SMS (<c>user add --cpm false</c>,
/// a number outside A's range, so his SMS reach his handset) and has blocked alice; nothing alice writes to him,
/// by account or by number, becomes a submit_sm. mila, not blocked, reaches his handset the same way.
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class BlockedSmsTests(TrustWorld world)
{
    [Fact]
    public async Task A_blocked_sender_writing_to_an_sms_only_subscriber_causes_no_submit_sm()
    {
        var davesNumber = MsisdnOf("dave");

        // dave blocks alice from an XMPP client once (an SMS-only account can still log in).
        await using (var dave = await world.ClientAsync(world.A, "dave"))
        {
            Assert.Equal("result", await dave.BlockAsync(Jid("alice")));
        }

        var submitsBefore = (await world.Network.EventsAsync("submit")).Count;
        await using var alice = await world.ClientAsync(world.A, "alice");
        await alice.SendAsync(Jid("dave"), "blocked, to his account", id: "blocked-sms-account");
        await alice.SendAsync(AtA(davesNumber), "blocked, to his number", id: "blocked-sms-number");
        var toAccount = await Refusal.AnswerToAsync(alice, "blocked-sms-account");
        var toNumber = await Refusal.AnswerToAsync(alice, "blocked-sms-number");
        var early = await world.Network.MessagesAsync(davesNumber, 1, Refusal.Quiet);
        var submits = (await world.Network.EventsAsync("submit")).Skip(submitsBefore).Select(e => e.ToString()).ToList();

        // Positive control: mila's message to dave goes out as an SMS to his handset.
        await using var mila = await world.ClientAsync(world.A, "mila");
        await mila.SendAsync(Jid("dave"), "From mila, allowed");
        var inbox = await world.Network.InboxUntilAsync(davesNumber, "From mila, allowed", Refusal.Arrival, world.Context);

        Refusal.NoProblems(
            world.Context,
            ("the SMSC receives no submit_sm for alice's messages", submits.Count == 0 ? null : $"{submits.Count} submit_sm: {string.Join(", ", submits)}"),
            ("dave's handset receives nothing from alice", early.Count == 0 ? null : $"it got: {string.Join(" | ", early.Select(m => $"from {m.From}: {m.Text}"))}"),
            ("dave's handset holds only mila's SMS in the end", inbox.Count == 1 ? null : $"it holds {inbox.Count}: {string.Join(" | ", inbox.Select(m => m.Text))}"),
            ("alice writing to dave's account is answered as a blocked sender (XEP-0191 §3.4)", Refusal.Unless(toAccount, "service-unavailable")),
            ("alice writing to dave's number is answered as a blocked sender (XEP-0191 §3.4)", Refusal.Unless(toNumber, "service-unavailable")));
    }
}
