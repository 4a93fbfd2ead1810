using Microsoft.Extensions.Configuration;

namespace Converge.Metrics;

/// <summary>
/// The name this node's figures carry on <c>/metrics</c> (the <c>node</c> and <c>service.instance.id</c>
/// resource attributes, exported as the <c>target_info</c> series), so that a cluster's nodes are told
/// apart in one Prometheus. It is the cluster's own name for the node, <c>Cluster.NodeName</c>, read
/// straight from the configuration so that metrics and cluster membership can never disagree; a
/// server without it is named after its machine.
/// </summary>
internal static class NodeName
{
    public const string ConfigurationKey = "Cluster:NodeName";

    public static string From(IConfiguration configuration) =>
        configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : Environment.MachineName;
}
