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
    public static ConvergeServer Node(string connectionString, string name, IReadOnlyList<string> users, int? siloPort = null) => new()
    {
        Users = users,
        ExtraConfig = Config(connectionString, name, siloPort),
    };

    /// <summary>
    /// A node of <paramref name="domain"/> with its own server-to-server listener and an agreement with
    /// <paramref name="peer"/>. Every node carries the same dialback secret, so a key one node hands a
    /// peer is verified by whichever node the peer's verification connection reaches (XEP-0220).
    /// </summary>
    public static ConvergeServer FederatedNode(
        string connectionString, string name, IReadOnlyList<string> users, string domain, Federation.PeerServer peer)
    {
        var config = Federation.AgreementConfig.With(null, (peer.Domain, peer.ServerToServerPort, null));
        config["Federation"]!["DialbackSecret"] = "cluster-wide dialback secret of the interop tests, the same on every node";
        foreach (var (key, value) in Config(connectionString, name, null).ToList())
        {
            if (key != "Logging")
            {
                config[key] = value?.DeepClone();
            }
        }

        config["Logging"]!["LogLevel"]!["Converge.Cluster"] = "Debug";
        return new ConvergeServer
        {
            XmppDomain = domain,
            Users = users,
            ServerToServerPort = ConvergeServer.FreeTcpPort(),
            ExtraConfig = config,
        };
    }

    private static JsonObject Config(string connectionString, string name, int? siloPort) =>
        new()
        {
            ["Storage"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Converge.Cluster"] = "Debug" } },
            ["Cluster"] = new JsonObject
            {
                ["Enabled"] = true,
                ["NodeName"] = name,
                ["SiloPort"] = siloPort ?? ConvergeServer.FreeTcpPort(),
                ["Address"] = "127.0.0.1",
                ["ProbeTimeout"] = "00:00:01",
                ["MissedProbesLimit"] = 2,
            },
        };

    /// <summary>
    /// Connects to a node's silo port and writes what is no Orleans handshake (an XMPP stream header and
    /// random bytes); returns when the node has closed the connection (or after 30 s of it not reading).
    /// </summary>
    public static async Task SendJunkToSiloAsync(int siloPort)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, siloPort);
        var stream = client.GetStream();
        var junk = new byte[64 * 1024];
        new Random(13).NextBytes(junk);
        try
        {
            await stream.WriteAsync("<stream:stream xmlns='jabber:client'>"u8.ToArray());
            await stream.WriteAsync(junk);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // Reset or closed by the node: what a silo does with a stranger.
        }
    }

    /// <summary>Returns once <paramref name="node"/> has logged that <paramref name="other"/> is active (event 5000).</summary>
    public static Task SeesAsync(ConvergeServer node, string other) =>
        node.WaitForLogLineAsync(l => l.Contains($"Cluster node {other} is active", StringComparison.Ordinal), JoinTimeout, $"'{other} is active'");
}
