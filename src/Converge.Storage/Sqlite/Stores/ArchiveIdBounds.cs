namespace Converge.Storage.Sqlite.Stores;

/// <summary>The row ids a query resolved: its paging anchors and its start/end as ids (0 where unused).</summary>
internal readonly record struct ArchiveIdBounds(long After, long Before, long From, long To);
