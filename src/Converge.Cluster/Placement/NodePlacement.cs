using Orleans.Runtime;

namespace Converge.Cluster.Placement;

/// <summary>
/// A grain whose string key is a node's name lives on that node's silo, and nowhere else: when the
/// node is gone the activation fails rather than moving, so a caller learns the node is gone.
/// </summary>
[Serializable, GenerateSerializer, Immutable]
public sealed class NodePlacement : PlacementStrategy
{
    internal static NodePlacement Instance { get; } = new();
}
