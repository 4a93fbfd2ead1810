using Converge.Interop.Sms;
using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// A blocked user gets no presence from the blocker (XEP-0191 §3.3), whatever address he has her under: a subscriber's
/// number <c>+E164@a.test</c> is her account (issue 11). gina, never blocked, subscribes to the same number and sees
/// the same presence: the positive control that the number route delivers presence at all.
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class BlockedPresenceTests(TrustWorld world)
{
    [Fact]
    public async Task A_blocked_user_subscribing_to_the_blockers_number_gets_no_presence_while_she_is_online()
    {
        var erinByNumber = AtA(MsisdnOf("erin"));
        await using var erin = await world.ClientAsync(world.A, "erin");
        await erin.SendPresenceAsync(status: "erin at work");
        Assert.Equal("result", await erin.BlockAsync(Jid("frank")));
        await using var frank = await world.ClientAsync(world.A, "frank");
        await using var gina = await world.ClientAsync(world.A, "gina");

        await frank.SendPresenceAsync(erinByNumber, "subscribe");
        await gina.SendPresenceAsync(erinByNumber, "subscribe");
        await erin.PresenceAsync(p => p.Type == "subscribe" && p.BareFrom == Jid("gina"), "gina's subscription request", Refusal.Arrival);
        await erin.SendPresenceAsync(Jid("gina"), "subscribed");
        await gina.PresenceAsync(p => p.BareFrom == erinByNumber && p.Status == "erin at work", "erin's presence, under her number", Refusal.Arrival);

        // erin changes her status; gina sees it (and with it, everything sent to frank before it would have arrived).
        await erin.SendPresenceAsync(status: "erin in a meeting");
        await gina.PresenceAsync(p => p.BareFrom == erinByNumber && p.Status == "erin in a meeting", "erin's new status", Refusal.Arrival);
        await Task.Delay(Refusal.Quiet);
        await frank.SyncAsync();

        Refusal.NoProblems(
            world.Context,
            ("frank receives no presence from erin", FromBlocker(frank, "erin")),
            ("erin never sees frank's subscription request", erin.Presences.Any(p => p.BareFrom == Jid("frank")) ? "she received one" : null));
    }

    [Fact]
    public async Task A_subscriber_to_a_number_who_is_then_blocked_gets_no_presence_not_even_when_he_logs_in_again()
    {
        var olgaByNumber = AtA(MsisdnOf("olga"));
        await using var olga = await world.ClientAsync(world.A, "olga");
        await olga.SendPresenceAsync(status: "olga at home");
        var paul = await world.ClientAsync(world.A, "paul");
        var gina = await world.ClientAsync(world.A, "gina");
        try
        {
            foreach (var (client, user) in new[] { (paul, "paul"), (gina, "gina") })
            {
                await client.SendPresenceAsync(olgaByNumber, "subscribe");
                await olga.PresenceAsync(p => p.Type == "subscribe" && p.BareFrom == Jid(user), $"{user}'s subscription request", Refusal.Arrival);
                await olga.SendPresenceAsync(Jid(user), "subscribed");
                await client.PresenceAsync(p => p.BareFrom == olgaByNumber && p.Status == "olga at home", $"olga's presence at {user}, under her number", Refusal.Arrival);
            }

            Assert.Equal("result", await olga.BlockAsync(Jid("paul")));
            var seenBeforeBlock = paul.Presences.Count;

            // A broadcast after the block: gina sees it, paul must not.
            await olga.SendPresenceAsync(status: "olga after the block");
            await gina.PresenceAsync(p => p.BareFrom == olgaByNumber && p.Status == "olga after the block", "olga's status after the block", Refusal.Arrival);
            await paul.SyncAsync();
            var broadcast = FromBlocker(paul, "olga", seenBeforeBlock);

            // Both log in again: their initial presence makes the server probe olga for them (RFC 6121 §4.3).
            await paul.DisposeAsync();
            await gina.DisposeAsync();
            paul = await world.ClientAsync(world.A, "paul");
            gina = await world.ClientAsync(world.A, "gina");
            await gina.PresenceAsync(p => p.BareFrom == olgaByNumber && p.Status == "olga after the block", "olga's presence at gina's new login", Refusal.Arrival);
            await Task.Delay(Refusal.Quiet);
            await paul.SyncAsync();

            Refusal.NoProblems(
                world.Context,
                ("paul receives olga's status change after she blocked him", broadcast),
                ("paul's new login gets no presence from olga (probe)", FromBlocker(paul, "olga")));
        }
        finally
        {
            await paul.DisposeAsync();
            await gina.DisposeAsync();
        }
    }

    /// <summary>Null when <paramref name="client"/> received no available presence from <paramref name="blocker"/>'s account or number (after the first <paramref name="skip"/>), else what it got.</summary>
    private static string? FromBlocker(CpmClient client, string blocker, int skip = 0)
    {
        var leaked = client.Presences.Skip(skip)
            .Where(p => p.IsAvailable && (p.BareFrom == Jid(blocker) || p.BareFrom == AtA(MsisdnOf(blocker))))
            .Select(p => $"{p.Type} from {p.From} status='{p.Status}'")
            .ToList();
        return leaked.Count == 0 ? null : $"{leaked.Count} presence(s): {string.Join(" | ", leaked)}";
    }
}
