using Converge.Interop.Federation;
using Converge.Interop.Scenarios;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Cluster;

/// <summary>
/// Prosody federates with a provider served by two cluster nodes while DNS (SRV) names only node 1:
/// its user converses with, and sees the presence of, a user whose session is on node 2. Prosody's
/// stanzas land on node 1 and cross to node 2; node 2's replies leave on a link of its own, whose
/// dialback key Prosody verifies through node 1.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProsodyThroughClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Domain = "converge.test";

    [Fact]
    public async Task A_prosody_user_converses_with_a_user_on_node_2_while_the_domain_resolves_to_node_1()
    {
        var connectionString = await postgres.DatabaseAsync("interop_cluster_prosody");
        await using var dns = new LoopbackDns();
        await using var prosody = await ProsodyServer.StartAsync("prosody.test", dns.Endpoint.Port, ConvergeServer.Password, "pat");
        await using var n1 = await ClusterNodes.FederatedNode(connectionString, "n1", ["bob"], Domain, prosody).StartAsync();
        await using var n2 = await ClusterNodes.FederatedNode(connectionString, "n2", ["alice"], Domain, prosody).StartAsync();
        dns.AddServerToServer(Domain, n1.ServerToServerPort!.Value);
        await ClusterNodes.SeesAsync(n1, "n2");
        await ClusterNodes.SeesAsync(n2, "n1");

        await CrossProviderScenario.PassesAsync(
            output,
            (n2.ClientPort, Domain, "alice", ConvergeServer.Password),
            (prosody.ClientPort, prosody.Domain, "pat", ConvergeServer.Password),
            () => $"--- n1:\n{n1.Log}\n--- n2:\n{n2.Log}\n--- dns questions: {dns.Questions}\n--- prosody:\n{prosody.Log}");

        // Prosody could reach node 1 only: its link (and its verification of node 2's key) ended there,
        // and what it sent alice crossed to node 2. Node 2 answered on an outbound link of its own.
        Assert.Contains($"authenticated {prosody.Domain} (dialback)", n1.Log, StringComparison.Ordinal);
        Assert.DoesNotContain($"authenticated {prosody.Domain}", n2.Log, StringComparison.Ordinal);
        Assert.Contains($"Outbound link to {prosody.Domain} is up", n2.Log, StringComparison.Ordinal);
    }
}
