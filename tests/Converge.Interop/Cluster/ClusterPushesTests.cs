using Converge.Interop.Scenarios;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Cluster;

/// <summary>
/// One account with a slixmpp session on each of two nodes: a roster change and a block made through
/// node 1 are pushed to the session on node 2 (RFC 6121 §2.1.6, XEP-0191 §3.3), another account's
/// session there gets none of them, and node 2 enforces the block at once for what it routes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterPushesTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Roster_and_block_list_pushes_reach_the_accounts_session_on_the_other_node_and_the_block_holds_there()
    {
        var connectionString = await postgres.DatabaseAsync("interop_cluster_pushes");
        await using var n1 = await ClusterNodes.Node(connectionString, "n1", ["alice"]).StartAsync();
        await using var n2 = await ClusterNodes.Node(connectionString, "n2", ["bob"]).StartAsync();
        await ClusterNodes.SeesAsync(n1, "n2");
        await ClusterNodes.SeesAsync(n2, "n1");

        await using var peer = PeerScripts.StartPython(
            n1, "cluster_pushes.py", "--n2-port", n2.ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));

        await ScenarioAssert.PassesAsync(
            peer,
            n1,
            output,
            "^LOGIN alice-n1 .*tls=True",
            "^LOGIN alice-n2 .*tls=True",
            "^ROSTER-PUSH alice-n2 got carol name=Carol subscription=none$",
            "^BLOCK-PUSH alice-n2 got block bob@",
            "^BLOCKED node 2 refused bob's message to alice-n1: service-unavailable$",
            "^UNBLOCK-PUSH ",
            "^PRIVATE ",
            "^PASS$");
    }
}
