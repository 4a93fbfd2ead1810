using Converge.Storage.Postgres;
using Converge.Storage.Sqlite;

namespace Converge.Storage.Migration;

/// <summary>
/// <c>converge storage migrate</c>: copies every table of one provider's database into another's
/// empty database, rows unchanged - archive ids (XEP-0359 stanza-ids) included, so clients' catch-up
/// queries still find their place. Table by table in chunks; each chunk commits together with the
/// count it brings the table to, so a run that stopped (Ctrl-C, a lost connection) resumes where the
/// copied data ends. The source must not change meanwhile: stop the server first.
/// </summary>
public static class StorageMigration
{
    public const int DefaultChunkRows = 5000;

    public static async Task<MigrationResult> RunAsync(
        StorageLocation from,
        StorageLocation to,
        IProgress<MigrationProgress>? progress = null,
        CancellationToken cancellationToken = default,
        int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        if (from == to)
        {
            throw new MigrationRefusedException($"the source and the target are the same database ({from})");
        }

        // Opening the stores creates or upgrades both schemas to this version's latest.
        await (await OpenStoresAsync(from, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        await (await OpenStoresAsync(to, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);

        await using var source = await OpenEndpointAsync(from, cancellationToken).ConfigureAwait(false);
        await using var target = await OpenEndpointAsync(to, cancellationToken).ConfigureAwait(false);
        var recorded = await target.ReadProgressAsync(cancellationToken).ConfigureAwait(false);
        if (recorded.Count == 0)
        {
            await RequireEmptyAsync(target, to, cancellationToken).ConfigureAwait(false);
        }

        var results = new List<(string, long, long)>();
        foreach (var table in MigratedTable.All)
        {
            var (already, done) = recorded.TryGetValue(table.Name, out var entry) ? entry : (0L, false);
            var total = await source.CountAsync(table, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                progress?.Report(new MigrationProgress(table.Name, already, already));
                results.Add((table.Name, already, 0));
                continue;
            }

            var copied = await CopyAsync(source, target, table, already, total, progress, chunkRows, cancellationToken).ConfigureAwait(false);
            if (table.Identity is not null)
            {
                var highWater = await source.SequenceHighWaterAsync(table, cancellationToken).ConfigureAwait(false);
                await target.RaiseSequenceAsync(table, highWater, cancellationToken).ConfigureAwait(false);
            }

            var inTarget = await target.CountAsync(table, cancellationToken).ConfigureAwait(false);
            if (inTarget != copied)
            {
                throw new InvalidOperationException(
                    $"table {table.Name}: {copied} rows copied but the target holds {inTarget}; was the source or the target changed during the migration?");
            }

            await target.MarkDoneAsync(table, copied, cancellationToken).ConfigureAwait(false);
            results.Add((table.Name, copied, copied - already));
        }

        return new MigrationResult(results);
    }

    private static async Task<long> CopyAsync(
        IMigrationEndpoint source,
        IMigrationEndpoint target,
        MigratedTable table,
        long already,
        long total,
        IProgress<MigrationProgress>? progress,
        int chunkRows,
        CancellationToken cancellationToken)
    {
        var copied = already;
        var skipped = 0L;
        var chunk = new List<object?[]>(chunkRows);
        progress?.Report(new MigrationProgress(table.Name, copied, total));
        await foreach (var row in source.ReadAsync(table, cancellationToken).ConfigureAwait(false))
        {
            // Rows a previous run copied come first in the fixed order.
            if (skipped < already)
            {
                skipped++;
                continue;
            }

            chunk.Add(row);
            if (chunk.Count == chunkRows)
            {
                copied += chunk.Count;
                await target.WriteChunkAsync(table, chunk, copied, cancellationToken).ConfigureAwait(false);
                chunk.Clear();
                progress?.Report(new MigrationProgress(table.Name, copied, total));
            }
        }

        if (chunk.Count > 0)
        {
            copied += chunk.Count;
            await target.WriteChunkAsync(table, chunk, copied, cancellationToken).ConfigureAwait(false);
            progress?.Report(new MigrationProgress(table.Name, copied, total));
        }

        return copied;
    }

    private static async Task RequireEmptyAsync(IMigrationEndpoint target, StorageLocation to, CancellationToken cancellationToken)
    {
        foreach (var table in MigratedTable.All)
        {
            var rows = await target.CountAsync(table, cancellationToken).ConfigureAwait(false);
            if (rows > 0)
            {
                throw new MigrationRefusedException(
                    $"the target {to} is not empty (table {table.Name} holds {rows} rows); storage migrate copies into an empty database only");
            }
        }
    }

    private static Task<Core.Storage.IStores> OpenStoresAsync(StorageLocation location, CancellationToken cancellationToken) =>
        location.IsPostgres
            ? PostgresStores.OpenAsync(location.Value, null, cancellationToken)
            : SqliteStores.OpenAsync(location.Value, null, cancellationToken);

    private static async Task<IMigrationEndpoint> OpenEndpointAsync(StorageLocation location, CancellationToken cancellationToken) =>
        location.IsPostgres
            ? await PostgresMigrationEndpoint.OpenAsync(location.Value, cancellationToken).ConfigureAwait(false)
            : await SqliteMigrationEndpoint.OpenAsync(location.Value, cancellationToken).ConfigureAwait(false);
}
