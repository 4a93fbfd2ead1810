using System.Text.Json.Nodes;
using Converge.Interop.Support;

namespace Converge.Interop.Cluster;

/// <summary>Nodes of one cluster, each a `converge serve` process of its own on the same PostgreSQL database.</summary>
internal static class ClusterNodes
{
    /// <summary>How long Orleans may take to show a node to the others (joining is a few table round trips).</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A node's server. Probes are shortened (1 s, 2 missed) so that a killed node is declared dead
    /// within seconds, well under the 30 s its contacts may wait for its sessions' unavailable presence.
    /// </summary>
    public static ConvergeServer Node(string connectionString, string name, IReadOnlyList<string> users) => new()
    {
        Users = users,
        ExtraConfig = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Converge.Cluster"] = "Debug" } },
            ["Cluster"] = new JsonObject
            {
                ["Enabled"] = true,
                ["NodeName"] = name,
                ["SiloPort"] = ConvergeServer.FreeTcpPort(),
                ["Address"] = "127.0.0.1",
                ["ProbeTimeout"] = "00:00:01",
                ["MissedProbesLimit"] = 2,
            },
        },
    };

    /// <summary>Returns once <paramref name="node"/> has logged that <paramref name="other"/> is active (event 5000).</summary>
    public static Task SeesAsync(ConvergeServer node, string other) =>
        node.WaitForLogLineAsync(l => l.Contains($"Cluster node {other} is active", StringComparison.Ordinal), JoinTimeout, $"'{other} is active'");
}
