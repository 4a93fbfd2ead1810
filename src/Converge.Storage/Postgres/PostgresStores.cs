using Converge.Core.Storage;
using Converge.Storage.Postgres.Schema;
using Converge.Storage.Postgres.Stores;
using Npgsql;

namespace Converge.Storage.Postgres;

/// <summary>The PostgreSQL storage provider: every store on one database that several processes and nodes may share.</summary>
public static class PostgresStores
{
    /// <summary>
    /// Connects, creates or upgrades the schema, and returns the stores. The role needs no superuser
    /// rights: owning the database (or CREATE on its public schema) is enough.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database cannot be reached, or was written by a newer Converge.</exception>
    public static async Task<IStores> OpenAsync(string connectionString, PostgresStoreOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgresStoreOptions();
        options.Validate();
        var source = new NpgsqlDataSourceBuilder(connectionString).Build();
        try
        {
            long lastArchiveId;
            ClusterArchiveIds? clusterIds = null;
            await using (var connection = await OpenFirstAsync(source, ct).ConfigureAwait(false))
            {
                await PostgresSchemaMigrator.MigrateAsync(connection, ct).ConfigureAwait(false);

                // The archive hands out its ids itself, above every id ever used.
                lastArchiveId = System.Convert.ToInt64(
                    await PostgresReader.ScalarAsync(connection, null, new(PostgresArchiveStore.SelectLastId), ct).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture);
                if (options.ClusterNodeName is { } node)
                {
                    clusterIds = new ClusterArchiveIds(await ClusterArchiveIds.ClaimSlotAsync(connection, node, ct).ConfigureAwait(false));
                }
            }

            return new PostgresDatabase(source, options, lastArchiveId, clusterIds);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Where a connection string points, without its password: for messages and logs.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "postgres (unparsable connection string)";
        }
    }

    private static async Task<NpgsqlConnection> OpenFirstAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        try
        {
            return await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            // Reached, but refused: a wrong password, a missing database or role. The message names
            // the user and the reason, never the password.
            throw new InvalidOperationException($"the PostgreSQL server refused the connection: {e.MessageText.ReplaceLineEndings(" ")}", e);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // One line an operator can act on, rather than a stack of socket errors.
            var reason = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");
            throw new InvalidOperationException($"the PostgreSQL database is unreachable: {reason}", e);
        }
    }
}
