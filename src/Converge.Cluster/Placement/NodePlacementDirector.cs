using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Converge.Cluster.Placement;

/// <summary>
/// Places a node-keyed grain on the active silo whose SiloName is the key (the node's Cluster.NodeName).
/// Orleans' own SiloRoleBasedPlacement matches the entry assembly's name, the same on every node, so
/// it cannot tell nodes apart.
/// </summary>
internal sealed class NodePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var node = target.GrainIdentity.Key.ToString();
        var compatible = context.GetCompatibleSilos(target);
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && member.Name == node && compatible.Contains(member.SiloAddress))
            {
                return Task.FromResult(member.SiloAddress);
            }
        }

        throw new OrleansException($"Cluster node '{node}' is not active.");
    }
}
