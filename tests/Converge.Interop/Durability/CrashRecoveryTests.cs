using System.Globalization;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>
/// What the server acknowledged survives a crash: the process is killed with SIGKILL, restarted on
/// the same data directory and ports, and the offline recipient still gets every acknowledged
/// message, once each and in order. Acks are XEP-0198 &lt;a h/&gt; answers to a real client (slixmpp).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Count = 1000;

    // Large enough that the kill lands while alice is still sending: the server acks 1,000 within the
    // few milliseconds the test needs to see the announcement and send SIGKILL.
    private const int BurstCount = 5000;

    [Fact]
    public async Task Messages_acked_to_alice_survive_sigkill_and_reach_bob_after_restart_once_each_in_order()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();

        await using (var alice = StartPython(server.ClientPort, "crash_sender.py", "--alice", Account("alice"), "--bob", "bob"))
        {
            await ExpectLineAsync(alice, server, $"ACKED {Count}");
            await server.KillAsync(); // at once: anything acked but not yet committed would be lost now
            var sent = await FinishesAsync(alice, server, output);
            Single(sent, "^ACKS h=\\d+ unacked=0$", alice, server);
        }

        await server.RestartAsync();
        var (got, archived, context) = await BobAfterRestartAsync(server, atLeast: Count);

        var expected = Expected(Count);
        Assert.True(expected.SequenceEqual(got), $"bob did not get each of the {Count} messages once, in order: {Sequences.Differences(expected, got)}{context}");
        Assert.True(archived == Count, $"bob's archive holds {archived} messages with alice, expected {Count}{context}");
    }

    [Fact]
    public async Task Sigkill_in_the_middle_of_the_burst_loses_nothing_that_was_acked_and_delivers_in_order()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();

        int acked;
        await using (var alice = StartPython(server.ClientPort, "crash_sender.py", "--alice", Account("alice"), "--bob", "bob", "--announce-at", "100", "--count", BurstCount.ToString(CultureInfo.InvariantCulture)))
        {
            await ExpectLineAsync(alice, server, "ACKED-AT-LEAST 100");
            await server.KillAsync(); // while alice is still sending and the server still acking and committing
            var sent = await FinishesAsync(alice, server, output);
            acked = int.Parse(Single(sent, "^ACKED-BEFORE-DEATH (\\d+)$", alice, server).Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.True(acked < BurstCount, $"the server acked all {BurstCount} before it was killed: the kill did not land mid-burst\n{server.Log}");
        await server.RestartAsync();
        var (got, archived, context) = await BobAfterRestartAsync(server, atLeast: acked);

        // Everything acked arrives; what was in flight may or may not have been kept, but never out of order or twice.
        var expected = Expected(BurstCount);
        Assert.True(
            got.Count >= acked && expected.Take(got.Count).SequenceEqual(got),
            $"bob should get the {acked} acked messages and maybe some after them, each once, in order: {Sequences.Differences(expected[..Math.Min(Math.Max(got.Count, acked), BurstCount)], got)}{context}");
        Assert.True(archived >= acked, $"bob's archive holds {archived} messages with alice, but {acked} were acked{context}");
        output.WriteLine($"acked before the kill: {acked}; delivered after the restart: {got.Count}; archived: {archived}");
    }

    private async Task<(List<string> Got, int Archived, string Context)> BobAfterRestartAsync(ConvergeServer server, int atLeast)
    {
        await using var bob = StartPython(
            server.ClientPort, "crash_receiver.py", "--bob", Account("bob"), "--alice", "alice", "--at-least", atLeast.ToString(CultureInfo.InvariantCulture));
        var lines = await FinishesAsync(bob, server, output);
        var context = Context(bob, server);
        Assert.True(
            Values(lines, "^GOT crash \\d+ delayed=(\\w+)$").All(d => d == "True"),
            $"messages from offline storage should carry a delay stamp{context}");
        Assert.DoesNotMatch(new Regex("Converge for localhost stopped"), server.Log); // it was killed, not stopped
        var archived = int.Parse(Single(lines, "^ARCHIVE bob with=alice@localhost count=(\\d+)$", bob, server).Groups[1].Value, CultureInfo.InvariantCulture);
        return (Values(lines, "^GOT (crash \\d+) delayed=\\w+$"), archived, context);
    }

    private static List<string> Expected(int count) => [.. Enumerable.Range(0, count).Select(i => $"crash {i:0000}")];
}
