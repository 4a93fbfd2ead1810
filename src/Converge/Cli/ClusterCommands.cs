using System.CommandLine;
using System.Globalization;
using Converge.Cluster.Status;

namespace Converge.Cli;

/// <summary>
/// <c>converge cluster status --config FILE</c>: the nodes of the cluster that FILE (any node's
/// configuration) belongs to, one a line, as Orleans' membership sees them, with their session counts.
/// </summary>
internal static class ClusterCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var cluster = new Command("cluster", "The nodes of a cluster");
        var status = new Command("status", "List the nodes by name with their state (Active, Dead ...) and session counts");
        status.SetAction((parse, ct) => StatusAsync(parse.GetValue(config), context, ct));
        cluster.Subcommands.Add(status);
        return cluster;
    }

    private static async Task<int> StatusAsync(string? configFile, CommandLineContext context, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        if (settings.Cluster is not { } cluster)
        {
            await context.Error.WriteLineAsync("error: this configuration has no cluster (Cluster.Enabled is false)").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        IReadOnlyList<ClusterNodeStatus> nodes;
        try
        {
            nodes = await ClusterStatusReader.ReadAsync(cluster.ConnectionString, cluster.ClusterId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            await context.Error.WriteLineAsync($"error: cannot read the cluster's membership: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (nodes.Count == 0)
        {
            await context.Output.WriteLineAsync($"no node of cluster '{cluster.ClusterId}' has started").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        foreach (var node in nodes)
        {
            var sessions = node.Sessions is { } count ? count.ToString(CultureInfo.InvariantCulture) + " sessions" : "-";
            await context.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{node.NodeName,-20} {node.State,-12} {sessions,-14} {node.Endpoint,-22} alive {node.LastAlive:yyyy-MM-dd'T'HH:mm:ss'Z'}")).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
