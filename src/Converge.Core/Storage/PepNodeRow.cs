namespace Converge.Core.Storage;

/// <summary>A stored PEP node: its configuration (XEP-0060 pubsub#node_config) and items, oldest first.</summary>
public sealed record PepNodeRow(string Node, string AccessModel, bool PersistItems, int MaxItems, IReadOnlyList<PepItemRow> Items);
