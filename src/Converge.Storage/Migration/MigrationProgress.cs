namespace Converge.Storage.Migration;

/// <summary>How far the copy of one table is: rows in the target of the source's <paramref name="Total"/>.</summary>
public sealed record MigrationProgress(string Table, long Copied, long Total);
