using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Storage.Postgres;
using Converge.Storage.Sqlite;

namespace Converge.Cli;

/// <summary>Opens the configured store for a command, or says on stderr in one line why it cannot.</summary>
internal static class StorageOpener
{
    public static async Task<IStores?> TryOpenAsync(ConvergeSettings settings, CommandLineContext context, CancellationToken cancellationToken)
    {
        try
        {
            return settings.StorageProvider switch
            {
                StorageProvider.Sqlite => await SqliteStores.OpenAsync(settings.StoragePath, settings.Sqlite, cancellationToken).ConfigureAwait(false),
                StorageProvider.Postgres => await PostgresStores.OpenAsync(
                    settings.StorageConnectionString!, new PostgresStoreOptions { ClusterNodeName = settings.Cluster?.NodeName }, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"storage provider {settings.StorageProvider} is not available in this build"),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"error: cannot open storage '{settings.StorageDescription}': {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return null;
        }
    }
}
