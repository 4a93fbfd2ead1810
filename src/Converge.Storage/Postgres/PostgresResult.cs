namespace Converge.Storage.Postgres;

/// <summary>What one statement of a grouped write returned: its rows (RETURNING, SELECT) and how many rows it changed.</summary>
internal sealed record PostgresResult(IReadOnlyList<object?[]> Rows, int RecordsAffected)
{
    /// <summary>Column 0 of the first row, or null when there is none.</summary>
    public object? Scalar => Rows.Count == 0 ? null : Rows[0][0];
}
