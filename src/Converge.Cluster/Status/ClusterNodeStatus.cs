namespace Converge.Cluster.Status;

/// <summary>One node as `converge cluster status` shows it.</summary>
/// <param name="State">Orleans' silo status of the node's newest incarnation: Active, Dead, Joining, ShuttingDown ...</param>
/// <param name="Sessions">Client sessions it last reported; null when it never did or is not active.</param>
public sealed record ClusterNodeStatus(string NodeName, string State, string Endpoint, DateTimeOffset LastAlive, int? Sessions);
