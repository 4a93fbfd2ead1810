using Npgsql;

namespace Converge.Cluster.Status;

/// <summary>
/// Reads the cluster's nodes from Orleans' membership table (the engine's own view of who is alive)
/// and the session counts each node reports beside it. Needs only the database, not a running node.
/// </summary>
public static class ClusterStatusReader
{
    // Orleans' SiloStatus values as its membership table stores them.
    private static readonly string[] States = ["None", "Created", "Joining", "Active", "ShuttingDown", "Stopping", "Dead"];

    private const string Query = """
        SELECT m.siloname, m.status, m.address, m.port, m.iamalivetime, r.sessions
        FROM (SELECT DISTINCT ON (siloname) siloname, status, address, port, iamalivetime
              FROM orleansmembershiptable WHERE deploymentid = $1
              ORDER BY siloname, generation DESC) m
        LEFT JOIN cluster_node_reports r ON r.node_name = m.siloname
        ORDER BY m.siloname
        """;

    /// <returns>The nodes by name; empty when no node of <paramref name="clusterId"/> ever started.</returns>
    public static async Task<IReadOnlyList<ClusterNodeStatus>> ReadAsync(string connectionString, string clusterId, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        var nodes = new List<ClusterNodeStatus>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var status = reader.GetInt32(1);
                var state = status >= 0 && status < States.Length ? States[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                int? sessions = state == "Active" && !reader.IsDBNull(5) ? reader.GetInt32(5) : null;
                nodes.Add(new ClusterNodeStatus(
                    reader.GetString(0), state, reader.GetString(2) + ":" + reader.GetInt32(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero), sessions));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No node has created the cluster's tables yet: no node has ever run.
        }

        return nodes;
    }
}
