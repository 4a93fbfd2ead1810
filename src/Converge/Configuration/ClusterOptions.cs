namespace Converge.Configuration;

/// <summary>
/// The <c>Cluster</c> section: several nodes serving one provider on Microsoft Orleans, with its
/// membership in the Storage database (PostgreSQL). Without it, or with Enabled false, a node is alone.
/// </summary>
internal sealed class ClusterOptions
{
    public bool Enabled { get; set; }

    /// <summary>This node's name, unique among the nodes; defaults to the machine name.</summary>
    public string? NodeName { get; set; }

    /// <summary>Node-to-node traffic (Orleans' silo port).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans' client gateway; unset: none (Converge itself needs none).</summary>
    public int? GatewayPort { get; set; }

    /// <summary>The address the other nodes reach this one at; unset: Orleans picks the machine's address.</summary>
    public string? Address { get; set; }

    /// <summary>Same on every node of one provider: nodes with another id ignore each other in the same database.</summary>
    public string ClusterId { get; set; } = "converge";

    /// <summary>How long a node waits for another's answer to a liveness probe (Orleans' ProbeTimeout).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes before a node is suspected and voted dead (Orleans' NumMissedProbesLimit).</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How long a node's lease on an outbox lane lasts unless renewed: how long a dead node's SMS and mail lanes wait for another node.</summary>
    public TimeSpan OutboxLaneLease { get; set; } = TimeSpan.FromSeconds(15);
}
