namespace Converge.Storage.Migration;

/// <summary>One side of a migration, spoken in the provider's own dialect.</summary>
internal interface IMigrationEndpoint : IAsyncDisposable
{
    Task<long> CountAsync(MigratedTable table, CancellationToken cancellationToken);

    /// <summary>Every row, in the table's fixed order, as values carried by column kind.</summary>
    IAsyncEnumerable<object?[]> ReadAsync(MigratedTable table, CancellationToken cancellationToken);

    /// <summary>The highest value the table's sequence ever handed out (deleted rows included), 0 if none.</summary>
    Task<long> SequenceHighWaterAsync(MigratedTable table, CancellationToken cancellationToken);

    /// <summary>Creates the progress table when missing and returns what it holds: table → (rows copied, done).</summary>
    Task<Dictionary<string, (long Rows, bool Done)>> ReadProgressAsync(CancellationToken cancellationToken);

    /// <summary>Inserts the rows and records <paramref name="copied"/> in one transaction, so progress never runs ahead of the data.</summary>
    Task WriteChunkAsync(MigratedTable table, IReadOnlyList<object?[]> rows, long copied, CancellationToken cancellationToken);

    /// <summary>Sets the table's sequence so that new ids start above <paramref name="highWater"/>.</summary>
    Task RaiseSequenceAsync(MigratedTable table, long highWater, CancellationToken cancellationToken);

    Task MarkDoneAsync(MigratedTable table, long copied, CancellationToken cancellationToken);
}
