namespace Converge.Storage.Migration;

/// <summary>What a migration copied: each table with its rows in the target, and how many of them this run copied.</summary>
public sealed record MigrationResult(IReadOnlyList<(string Table, long Rows, long CopiedNow)> Tables)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}
