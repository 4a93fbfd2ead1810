using Converge.Interop.Scenarios;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Cluster;

/// <summary>
/// Two `converge serve` processes joined by Orleans on one PostgreSQL database, slixmpp users on
/// different nodes: everything between them crosses nodes, and a SIGKILLed node's sessions leave
/// routing (unavailable to contacts, messages to another resource or offline storage).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoNodeClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Users_on_two_nodes_converse_in_order_and_a_killed_nodes_sessions_leave_routing()
    {
        var connectionString = await postgres.DatabaseAsync("interop_cluster_two");
        var n1SiloPort = ConvergeServer.FreeTcpPort();
        await using var n1 = await ClusterNodes.Node(connectionString, "n1", ["alice"], n1SiloPort).StartAsync();
        await using var n2 = await ClusterNodes.Node(connectionString, "n2", ["bob"]).StartAsync();
        await ClusterNodes.SeesAsync(n1, "n2");
        await ClusterNodes.SeesAsync(n2, "n1");

        // A stranger on the silo port (anyone who can reach it): its junk is dropped, the node carries on.
        await ClusterNodes.SendJunkToSiloAsync(n1SiloPort);

        var status = await n1.RunOperatorCommandAsync("cluster", "status");
        output.WriteLine(string.Join('\n', status));
        Assert.Contains(status, l => l.StartsWith("n1 ", StringComparison.Ordinal) && l.Contains(" Active ", StringComparison.Ordinal));
        Assert.Contains(status, l => l.StartsWith("n2 ", StringComparison.Ordinal) && l.Contains(" Active ", StringComparison.Ordinal));

        await using var peer = PeerScripts.StartPython(
            n1, "cluster_users.py", "--bob-port", n2.ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));

        try
        {
            await peer.Output.WaitForLineAsync(l => l == "KILL-NODE-2").WaitAsync(PeerScripts.ScenarioTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the peer never got to the kill:\n{peer.Output.Text}\n--- n1:\n{n1.Log}\n--- n2:\n{n2.Log}");
        }

        await n2.KillAsync();

        await ScenarioAssert.PassesAsync(
            peer,
            n1,
            output,
            "^LOGIN alice .*tls=True",
            "^LOGIN bob .*tls=True",
            "^SUBSCRIBED bob by=alice$",
            "^PRESENCE alice sees bob available status='bob on the train'$",
            "^PRESENCE bob sees alice available status='alice at her desk'$",
            "^PRESENCE alice sees bob show=away status='bob in a tunnel'$",
            "^ORDERED bob received 20 messages in order$",
            "^ORDERED alice received 20 messages in order$",
            "^PING alice pinged bob's full JID on the other node$",
            "^PRIORITY ",
            "^DEATH alice sees \\S+ unavailable$",
            "^FALLBACK ",
            "^OFFLINE ",
            "^PASS$");

        // Orleans' membership, not our code, declared the node dead; the status shows it so.
        var after = await n1.RunOperatorCommandAsync("cluster", "status");
        output.WriteLine(string.Join('\n', after));
        Assert.Contains(after, l => l.StartsWith("n2 ", StringComparison.Ordinal) && l.Contains(" Dead ", StringComparison.Ordinal));
    }
}
