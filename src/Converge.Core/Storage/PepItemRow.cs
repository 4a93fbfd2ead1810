namespace Converge.Core.Storage;

/// <summary>A stored PEP item: its id, when it was published (a per-account increasing number) and the payload element's XML.</summary>
public sealed record PepItemRow(string Id, long Published, string PayloadXml);
