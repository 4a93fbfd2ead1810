using Converge.Cluster.Placement;
using Converge.Cluster.Sessions;
using Converge.Xmpp.Routing.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Converge.Cluster.Hosting;

/// <summary>
/// Runs an Orleans silo inside the node's host: ADO.NET clustering on the provider's PostgreSQL
/// database (membership, failure detection), Orleans' own node-to-node transport, and the node's grain.
/// </summary>
public static class ClusterHosting
{
    public static IHostBuilder UseConvergeCluster(this IHostBuilder builder, ClusterNodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ClusterId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = settings.NodeName);
            if (settings.Address is { } address)
            {
                silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort ?? 0, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort ?? 0);
            }

            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = settings.ProbeTimeout;
                o.NumMissedProbesLimit = settings.MissedProbesLimit;
            });
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = settings.ConnectionString;
            });
            silo.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        });
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(settings);
            services.AddSingleton<ClusterNode>();
            services.AddSingleton<IClusterSessions>(provider => provider.GetRequiredService<ClusterNode>());
            services.AddHostedService(provider => provider.GetRequiredService<ClusterNode>());
        });
        return builder;
    }
}
