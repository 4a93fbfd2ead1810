using Converge.Cluster.Placement;
using Converge.Cluster.Sessions;

namespace Converge.Cluster.Grains;

/// <summary>The node's own door: what arrives goes to its local sessions (<see cref="ClusterNode.ReceiveAsync"/>).</summary>
[NodePlacement]
internal sealed class NodeGrain(ClusterNode node) : Grain, INodeGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The placement pins the grain to its node; refuse rather than stand in for another node.
        if (this.GetPrimaryKeyString() != node.Name)
        {
            throw new InvalidOperationException($"Node grain '{this.GetPrimaryKeyString()}' activated on node '{node.Name}'.");
        }

        return base.OnActivateAsync(cancellationToken);
    }

    public Task DeliverAsync(string fromNode, ClusterEnvelope[] batch) => node.ReceiveAsync(fromNode, batch);
}
