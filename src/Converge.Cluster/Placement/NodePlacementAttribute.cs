using Orleans.Placement;

namespace Converge.Cluster.Placement;

/// <summary>Marks a grain keyed by node name as pinned to that node (<see cref="NodePlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(NodePlacement.Instance);
