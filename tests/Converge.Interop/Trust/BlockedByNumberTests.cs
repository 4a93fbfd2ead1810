using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// Blocking (XEP-0191) is checked against the resolved account (issue 11): a subscriber's number <c>+E164@a.test</c>
/// is the same person as her account, so writing to it, or being known by it, cannot get around a block in either
/// direction. alice blocks carol (both have numbers); each test blocks first and unblocks at the end, where the same
/// path then delivers (the positive control; had the blocked message gone through, it would have come before it).
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class BlockedByNumberTests(TrustWorld world)
{
    [Fact]
    public async Task A_user_who_blocked_a_contact_cannot_write_to_her_number_and_gets_not_acceptable_with_blocked()
    {
        var carolByNumber = AtA(MsisdnOf("carol"));
        await using var carol = await world.ClientAsync(world.A, "carol");
        await using var alice = await world.ClientAsync(world.A, "alice");
        Assert.Equal("result", await alice.BlockAsync(Jid("carol")));

        await alice.SendAsync(Jid("carol"), "blocked, by account", id: "to-blocked-account");
        var byAccount = await Refusal.AnswerToAsync(alice, "to-blocked-account");
        await alice.SendAsync(carolByNumber, "blocked, by number", id: "to-blocked-number");
        var byNumber = await Refusal.AnswerToAsync(alice, "to-blocked-number");

        Assert.Equal("result", await alice.UnblockAsync(Jid("carol")));
        await alice.SendAsync(carolByNumber, "unblocked, by number");
        var after = await carol.TryMessageAsync(m => m.Body == "unblocked, by number", Refusal.Arrival);
        var bodies = carol.Received.Select(m => m.Body).ToList();

        Refusal.NoProblems(
            world.Context,
            ("alice writing to carol's account while blocking her", Refusal.Unless(byAccount, "not-acceptable", type: null, app: Refusal.BlockingErrors)),
            ("alice writing to carol's number while blocking her", Refusal.Unless(byNumber, "not-acceptable", type: null, app: Refusal.BlockingErrors)),
            ("alice reaches carol's number once she unblocked her", after is not null ? null : "nothing arrived"),
            ("carol received only the message sent after the unblock", bodies.SequenceEqual(["unblocked, by number"]) ? null : $"carol received: [{string.Join(" | ", bodies)}]"));
    }

    [Fact]
    public async Task A_blocked_user_writing_to_the_blockers_number_or_account_gets_service_unavailable_even_once_she_is_known_by_number()
    {
        var aliceByNumber = AtA(MsisdnOf("alice"));
        await using var carol = await world.ClientAsync(world.A, "carol");
        await using var alice = await world.ClientAsync(world.A, "alice");
        Assert.Equal("result", await alice.BlockAsync(Jid("carol")));

        // Plain: carol writes to alice's number.
        await carol.SendAsync(aliceByNumber, "blocked, to her number", id: "to-blocker-number");
        var plain = await Refusal.AnswerToAsync(carol, "to-blocker-number");

        // Known by number: alice has written to carol's number, so what carol sends alice is rewritten to come from
        // carol's number, an address that is on no block list. It is still carol.
        Assert.Equal("result", await alice.UnblockAsync(Jid("carol")));
        await alice.SendAsync(AtA(MsisdnOf("carol")), "alice knows carol by number");
        await carol.MessageAsync(m => m.Body == "alice knows carol by number", "alice's message to carol's number", Refusal.Arrival);
        Assert.Equal("result", await alice.BlockAsync(Jid("carol")));
        await carol.SendAsync(aliceByNumber, "blocked, known by number, to her number", id: "aliased-to-number");
        var aliasedToNumber = await Refusal.AnswerToAsync(carol, "aliased-to-number");
        await carol.SendAsync(Jid("alice"), "blocked, known by number, to her account", id: "aliased-to-account");
        var aliasedToAccount = await Refusal.AnswerToAsync(carol, "aliased-to-account");

        Assert.Equal("result", await alice.UnblockAsync(Jid("carol")));
        await carol.SendAsync(aliceByNumber, "unblocked");
        var after = await alice.TryMessageAsync(m => m.Body == "unblocked", Refusal.Arrival);
        var bodies = alice.Received.Where(m => m.Type != "error").Select(m => $"'{m.Body}' from {m.From}").ToList();

        Refusal.NoProblems(
            world.Context,
            ("carol writing to alice's number while blocked", Refusal.Unless(plain, "service-unavailable")),
            ("carol (known to alice by number) writing to alice's number while blocked", Refusal.Unless(aliasedToNumber, "service-unavailable")),
            ("carol (known to alice by number) writing to alice's account while blocked", Refusal.Unless(aliasedToAccount, "service-unavailable")),
            ("carol reaches alice once unblocked", after is not null ? null : "nothing arrived"),
            ("alice received only the message sent after the unblock", bodies.Count == 1 && after is not null ? null : $"alice received: [{string.Join(" | ", bodies)}]"));
    }
}
