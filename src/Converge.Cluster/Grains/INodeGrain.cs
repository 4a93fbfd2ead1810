namespace Converge.Cluster.Grains;

/// <summary>
/// A node's door for the other nodes, keyed by its name and pinned to it (<see cref="Placement.NodePlacement"/>).
/// Non-reentrant: the batches one node sends are handled one after the other, so stanzas keep their order.
/// </summary>
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Hands a batch from <paramref name="fromNode"/> to this node's sessions and session table.</summary>
    Task DeliverAsync(string fromNode, ClusterEnvelope[] batch);
}
