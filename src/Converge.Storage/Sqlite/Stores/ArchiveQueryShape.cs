namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Which filters and paging bounds an archive query uses. Each shape has its own SQL text, so every
/// statement names only the columns it filters on and SQLite can pick the index that serves it
/// (an "$x IS NULL OR col = $x" catch-all would defeat that). There are few shapes, each built once.
/// </summary>
[Flags]
internal enum ArchiveQueryShape
{
    None = 0,
    With = 1,
    Start = 2,
    End = 4,
    Thread = 8,
    Ids = 16,
    After = 32,
    Before = 64,
    Backward = 128,

    /// <summary>
    /// The owner's stamps grow with the ids (archive_owners.stamps_in_order, the normal case): (stamp, id)
    /// order is the archive's order, so the page walks an index ending in (stamp, rowid) from its anchor
    /// and time bounds are ranges of the same walk. Without it the page is sorted by id.
    /// </summary>
    Chronological = 256,
}
