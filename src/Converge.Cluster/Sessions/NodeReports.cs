using Converge.Cluster.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Converge.Cluster.Sessions;

/// <summary>
/// Writes this node's session count into cluster_node_reports every few seconds, for
/// `converge cluster status`, which reads it beside Orleans' membership table.
/// </summary>
internal sealed partial class NodeReports(ClusterNodeSettings settings, ILogger logger)
{
    private const string Upsert = """
        INSERT INTO cluster_node_reports (node_name, sessions, reported_at) VALUES ($1, $2, $3)
        ON CONFLICT (node_name) DO UPDATE SET sessions = excluded.sessions, reported_at = excluded.reported_at
        """;

    public async Task RunAsync(Func<int> sessions, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(settings.ConnectionString);
        using var timer = new PeriodicTimer(settings.ReportInterval);
        do
        {
            try
            {
                await using var command = source.CreateCommand(Upsert);
                command.Parameters.Add(new NpgsqlParameter { Value = settings.NodeName });
                command.Parameters.Add(new NpgsqlParameter { Value = sessions() });
                command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogReportFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Could not write this node's session count for cluster status")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
