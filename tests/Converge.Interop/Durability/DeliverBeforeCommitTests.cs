using System.Globalization;
using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>
/// Messages reach an online recipient before their archive rows commit, and the sender's XEP-0198
/// acknowledgement comes only after the commit (docs/durability.md). SIGKILL in the middle of a burst to
/// an online bob lands in both windows - delivered but not committed, committed but not acknowledged -
/// and a real client (slixmpp) then sends again everything not acknowledged, with the same origin-ids:
/// every message ends up in both archives exactly once, and bob has seen every one.
/// </summary>
public sealed class DeliverBeforeCommitTests(ITestOutputHelper output)
{
    private const int Count = 4000;

    [Fact]
    public async Task Sigkill_mid_burst_then_resending_the_unacknowledged_leaves_each_message_archived_once_on_both_sides()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();
        await KillMidBurstAndResendAsync(server, output);
    }

    /// <summary>The scenario on a started server with alice and bob (also run on PostgreSQL).</summary>
    internal static async Task KillMidBurstAndResendAsync(ConvergeServer server, ITestOutputHelper output)
    {
        await using var peers = StartPython(
            server.ClientPort, "crash_resend.py", "--alice", Account("alice"), "--bob", Account("bob"),
            "--count", Count.ToString(CultureInfo.InvariantCulture), "--announce-at", "200");
        await ExpectLineAsync(peers, server, "ACKED-AT-LEAST 200");
        await server.KillAsync(); // while alice sends, bob receives, and commits and acks trail behind
        await peers.Output.WaitForLineAsync(l => l.StartsWith("LIVE-BEFORE-DEATH ", StringComparison.Ordinal)).WaitAsync(ScenarioTimeout);
        await server.RestartAsync();
        await peers.WriteLineAsync("RESTARTED");
        var lines = await FinishesAsync(peers, server, output);

        var acked = Number(lines, "^ACKED-BEFORE-DEATH (\\d+)$", peers, server);
        var resent = Number(lines, "^RESENT (\\d+)$", peers, server);
        Assert.True(acked < Count, $"the server acked all {Count} before it was killed: the kill did not land mid-burst{Context(peers, server)}");
        Assert.Equal(Count - acked, resent);
        foreach (var owner in new[] { "bob", "alice" })
        {
            var archive = Single(lines, $"^ARCHIVE {owner} count=(\\d+) distinct=(\\d+) missing=(\\d+)$", peers, server);
            Assert.True(
                archive.Groups[1].Value == Count.ToString(CultureInfo.InvariantCulture) && archive.Groups[2].Value == archive.Groups[1].Value && archive.Groups[3].Value == "0",
                $"{owner}'s archive should hold each of the {Count} messages once: {archive.Value}{Context(peers, server)}");
        }

        Assert.Contains("BOB-SAW missing=0", lines);
        output.WriteLine($"acked before the kill: {acked}; sent again: {resent}; {lines.First(l => l.StartsWith("LIVE-BEFORE-DEATH", StringComparison.Ordinal))}");
    }

    private static int Number(IEnumerable<string> lines, string pattern, ChildProcess peer, ConvergeServer server) =>
        int.Parse(Single(lines, pattern, peer, server).Groups[1].Value, CultureInfo.InvariantCulture);
}
