using System.Net;

namespace Converge.Cluster.Hosting;

/// <summary>What a node needs to join its cluster; the host derives it from the Cluster and Storage sections.</summary>
public sealed class ClusterNodeSettings
{
    /// <summary>This node's name, unique in the cluster (Cluster.NodeName); Orleans' SiloName.</summary>
    public required string NodeName { get; init; }

    /// <summary>The PostgreSQL database holding Orleans' membership table (Storage.ConnectionString).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Every node of one provider carries the same id (Cluster.ClusterId).</summary>
    public string ClusterId { get; init; } = "converge";

    /// <summary>Node-to-node traffic (Cluster.SiloPort).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Orleans' client gateway; null for none (Converge has no Orleans clients).</summary>
    public int? GatewayPort { get; init; }

    /// <summary>The address other nodes reach this one at (Cluster.Address); null: Orleans picks the host's.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>How long a node waits for a probe answer (Cluster.ProbeTimeout).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes before a node is suspected (Cluster.MissedProbesLimit).</summary>
    public int MissedProbesLimit { get; init; } = 3;

    /// <summary>
    /// How long a node's hold on an outbox lane lasts unless renewed (Cluster.OutboxLaneLease): the lanes
    /// of a node that died are taken over by another node this long after its last renewal.
    /// </summary>
    public TimeSpan OutboxLaneLease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each node writes its session count for `converge cluster status`.</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);
}
