using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>
/// What the server acknowledged survives a crash: the process is killed with SIGKILL right after
/// its stream-management acks, restarted on the same data directory and ports, and the offline
/// recipient still gets everything, once each and in order.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Count = 1000;

    [Fact]
    public async Task Messages_acked_to_alice_survive_sigkill_and_reach_bob_after_restart_once_each_in_order()
    {
        await using var server = await RestartableServer.StartAsync(["alice", "bob"]);

        await using (var alice = StartPython(server.ClientPort, "crash_sender.py", "--alice", Account("alice"), "--bob", "bob"))
        {
            await ExpectLineAsync(alice, server, $"ACKED {Count}");
            await server.KillAsync(); // at once: anything acked but not yet committed would be lost now
            var sent = await FinishesAsync(alice, server, output);
            Single(sent, "^ACKS h=\\d+ unacked=0$", alice, server);
            Single(sent, "^SERVER-GONE$", alice, server);
        }

        await server.RestartAsync();
        await using var bob = StartPython(
            server.ClientPort, "crash_receiver.py", "--bob", Account("bob"), "--alice", "alice", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lines = await FinishesAsync(bob, server, output);
        var context = Context(bob, server);

        var expected = Enumerable.Range(0, Count).Select(i => $"crash {i:0000}").ToList();
        var got = Values(lines, "^GOT (crash \\d+) delayed=\\w+$");
        Assert.True(expected.SequenceEqual(got), $"bob did not get each of the {Count} messages once, in order: {Sequences.Differences(expected, got)}{context}");
        Assert.True(Values(lines, "^GOT crash \\d+ delayed=(\\w+)$").All(d => d == "True"), $"offline messages should carry a delay stamp{context}");

        // The archive was committed as durably as the offline queue: bob can scroll back through all of it.
        Single(lines, $"^ARCHIVE bob with=alice@localhost count={Count}$", bob, server);
        Assert.DoesNotMatch(new Regex("Converge for localhost stopped"), server.Log.Split("----- killed")[0]);
    }
}
