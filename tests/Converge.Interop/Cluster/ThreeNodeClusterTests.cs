using System.Globalization;
using System.Text.RegularExpressions;
using Converge.Interop.Scenarios;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Cluster;

/// <summary>
/// Three `converge serve` processes joined by Orleans on one PostgreSQL database, one slixmpp user on
/// each. The node holding the recipient of a burst is SIGKILLed while its client has received, but not
/// acknowledged (XEP-0198), part of it: every message the sender's node acknowledged must still reach
/// the recipient once he is on another node - live, from offline storage, or redelivered - and a
/// resumption of the dead node's session on another node is refused with item-not-found.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ThreeNodeClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Acknowledged_messages_survive_the_recipients_node_and_resumption_elsewhere_fails_cleanly()
    {
        var connectionString = await postgres.DatabaseAsync("interop_cluster_three");
        await using var n1 = await ClusterNodes.Node(connectionString, "n1", ["alice"]).StartAsync();
        await using var n2 = await ClusterNodes.Node(connectionString, "n2", ["bob"]).StartAsync();
        await using var n3 = await ClusterNodes.Node(connectionString, "n3", ["carol"]).StartAsync();
        foreach (var (node, others) in new[] { (n1, new[] { "n2", "n3" }), (n2, ["n1", "n3"]), (n3, ["n1", "n2"]) })
        {
            foreach (var other in others)
            {
                await ClusterNodes.SeesAsync(node, other);
            }
        }

        await using var peer = PeerScripts.StartPython(
            n1, "cluster_three_nodes.py",
            "--bob-port", n2.ClientPort.ToString(CultureInfo.InvariantCulture),
            "--carol-port", n3.ClientPort.ToString(CultureInfo.InvariantCulture),
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol"));

        try
        {
            await peer.Output.WaitForLineAsync(l => l == "KILL-NODE-2").WaitAsync(PeerScripts.ScenarioTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the peer never got to the kill:\n{peer.Output.Text}\n--- n1:\n{n1.Log}\n--- n2:\n{n2.Log}\n--- n3:\n{n3.Log}");
        }

        await n2.KillAsync();

        // Node 1 redelivers what node 2 had not settled once Orleans declares node 2 dead (event 5400,
        // logged when all of it is on its way); then alice's marker follows it on the same link.
        var redelivered = await n1.WaitForLogLineAsync(
            l => l.Contains("Cluster node n2 is gone: ", StringComparison.Ordinal) && l.Contains("were redelivered", StringComparison.Ordinal),
            ClusterNodes.JoinTimeout, "handed-over messages redelivered (5400)");
        output.WriteLine(redelivered);
        await peer.WriteLineAsync("REDELIVERED");

        await ScenarioAssert.PassesAsync(
            peer,
            n1,
            output,
            "^LOGIN alice .*tls=True",
            "^LOGIN bob .*tls=True",
            "^LOGIN carol .*tls=True",
            "^PAIR alice bob subscribed, present, ordered$",
            "^PAIR bob carol subscribed, present, ordered$",
            "^PAIR carol alice subscribed, present, ordered$",
            "^ACKED-BY-BOB ",
            "^BEFORE-KILL ",
            "^RESUME-REFUSED on node 3: item-not-found; bob bound anew",
            "^ACKED alice 180$",
            "^SOURCES ",
            "^EXACTLY-ONCE 180 acknowledged messages after de-duplication; raw copies=\\d+ duplicates=\\d+$",
            "^PASS$");

        // The copies bob never acknowledged on node 2 were redelivered by node 1, which had kept them:
        // without that they would be only in the archive. Their count is reported.
        var exactly = peer.Output.Text.Split('\n').Single(l => l.StartsWith("EXACTLY-ONCE ", StringComparison.Ordinal));
        var duplicates = int.Parse(Duplicates().Match(exactly).Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"raw stream duplicates: {duplicates}");
        Assert.True(
            duplicates > 0,
            $"bob received unacknowledged messages on node 2; their redelivery must show as duplicates in the raw stream\n{peer.Output.Text}\n--- n1:\n{n1.Log}\n--- n3:\n{n3.Log}");
    }

    [GeneratedRegex("duplicates=(\\d+)")]
    private static partial Regex Duplicates();
}
