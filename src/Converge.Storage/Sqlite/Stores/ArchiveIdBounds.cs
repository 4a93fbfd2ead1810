namespace Converge.Storage.Sqlite.Stores;

/// <summary>The paging anchors a query resolved: their row ids and stamps (0 where unused).</summary>
internal readonly record struct ArchiveIdBounds(long After, long AfterStamp, long Before, long BeforeStamp);
