using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// No transit (DESIGN.md, "Trust boundaries"): a stanza from a peer is delivered only to A's own recipients. A number
/// in C's range written under a.test resolves, for A's users, to C; for bob@b.test it would make A a free relay
/// between B and C (with no agreement between them), so it is refused with <c>not-allowed</c> and never forwarded.
/// A's link to C carries alice's messages before and after the attempt: refusing bob must not cost A its link.
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class TransitTests(TrustWorld world)
{
    [Fact]
    public async Task A_peer_user_writing_to_a_number_in_a_second_peers_range_gets_not_allowed_and_the_link_to_that_peer_still_works()
    {
        var carlByNumber = AtA(CarlsNumber);
        await using var carl = await world.ClientAsync(world.C, "carl");
        await using var alice = await world.ClientAsync(world.A, "alice");
        await using var bob = await world.ClientAsync(world.B, "bob");

        // A's link to C is up: alice reaches Carl by number.
        await alice.SendAsync(carlByNumber, "alice before");
        await carl.MessageAsync(m => m.Body == "alice before", "alice's first message reached Carl over A's link to C", Refusal.Arrival);

        var closedBefore = LinkToCClosings();
        await bob.SendAsync(carlByNumber, "bob in transit", id: "transit");
        var answer = await Refusal.AnswerToAsync(bob, "transit", Refusal.PeerErrorWait);
        var early = await carl.TryMessageAsync(m => m.Body == "bob in transit", Refusal.Quiet);
        var closings = LinkToCClosings().Skip(closedBefore.Count).ToList();

        // Still up: alice's next message goes the same way; had bob's been forwarded, it would have come before it.
        await alice.SendAsync(carlByNumber, "alice after");
        var after = await carl.TryMessageAsync(m => m.Body == "alice after", Refusal.Arrival);
        var bodies = carl.Received.Where(m => m.Type != "error").Select(m => m.Body).ToList();

        Refusal.NoProblems(
            world.Context,
            ("bob's message to a number in C's range is refused", Refusal.Unless(answer, "not-allowed")),
            ("nothing of bob's reaches Carl", early is null ? null : $"Carl got '{early.Body}' from {early.From}"),
            ("A's link to C stays up through the attempt", closings.Count == 0 ? null : $"A logged: {string.Join(" / ", closings)}"),
            ("alice still reaches Carl after the attempt", after is not null ? null : $"no 'alice after' within {Refusal.Arrival.TotalSeconds:0} s"),
            ("Carl received exactly alice's two messages", bodies.SequenceEqual(["alice before", "alice after"]) ? null : $"Carl received: [{string.Join(" | ", bodies)}]"));
    }

    /// <summary>A's log lines about its outbound link to C ending (C closing it, or the connection lost), oldest first.</summary>
    private List<string> LinkToCClosings() =>
        [.. world.A.Log.Split('\n').Where(l => l.Contains($"{CDomain} closed our outbound link", StringComparison.Ordinal)
            || l.Contains($"Outbound link to {CDomain} closed", StringComparison.Ordinal))];
}
