using Converge.Admin;
using Converge.Configuration;
using Converge.Core.Diagnostics;
using Converge.Http.Api;
using Converge.Http.Console;
using Converge.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Converge.Core.Storage;
using Converge.Http;
using Converge.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Builds the Generic Host of <c>converge serve</c>: console logging, the XMPP service, and Kestrel
/// on Listeners.Http when it is enabled. The configuration, certificate and stores are prepared by
/// the caller, so that their errors are reported before anything starts.
/// </summary>
internal static class ServerHost
{
    public static IHost Build(LoadedConfiguration configuration, ServerCertificate certificate, IStores stores)
    {
        var settings = configuration.Settings;
        var node = NodeName.From(configuration.Root);
        var builder = new HostBuilder()
            .UseContentRoot(settings.DataDirectory)
            .UseConsoleLifetime(o => o.SuppressStatusMessages = true)
            .ConfigureLogging(logging => ConfigureLogging(logging, configuration))
            .ConfigureServices(services =>
            {
                services.AddSingleton(settings);
                services.AddSingleton(certificate);
                services.AddSingleton(stores);
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton(NameResolution.For(settings.FederationLinks.DnsServer));
                services.AddSingleton<XmppService>();
                services.AddHostedService<StartupReport>();
                services.AddHostedService<WebChatInstaller>();
                services.AddSingleton<InterworkingService>();
                // The interworking function is on the routing step before the first client connects.
                services.AddHostedService(provider => provider.GetRequiredService<InterworkingService>());
                services.AddHostedService(provider => provider.GetRequiredService<XmppService>());
                services.AddSingleton<AgreementReloader>();
                services.AddHostedService(provider => provider.GetRequiredService<AgreementReloader>());
                services.AddSingleton(new OperatorTokenStore(settings.DataDirectory));
                services.AddSingleton<AdminAuthentication>();
                services.AddSingleton<PeerObservations>();
                services.AddSingleton<OutboxObservations>();
                services.AddHostedService(provider => provider.GetRequiredService<OutboxObservations>());
                services.AddOpenTelemetry()
                    .ConfigureResource(resource => resource
                        .AddService("converge", serviceVersion: ConvergeVersion.Text, serviceInstanceId: node)
                        .AddAttributes([new KeyValuePair<string, object>("node", node)]))
                    .WithMetrics(metrics => RuntimeMetricNames.Rename(metrics
                        .AddMeter(ConvergeMeter.Name)
                        .AddRuntimeInstrumentation())
                        .AddPrometheusExporter());
            });

        if (settings.Cluster is { } cluster)
        {
            // The silo joins through Orleans' membership table in the Storage database, created by the schema migration.
            Cluster.Hosting.ClusterHosting.UseConvergeCluster(builder, cluster);
        }
        else
        {
            builder.ConfigureServices(services => services.AddSingleton<Xmpp.Routing.Cluster.IClusterSessions>(Xmpp.Routing.Cluster.SingleNode.Instance));
        }

        if (settings.HttpEndpoint is not null || settings.AdminEndpoint is not null)
        {
            builder.ConfigureWebHost(
                web => web
                    .UseKestrel(kestrel =>
                    {
                        kestrel.AddServerHeader = false;
                        if (settings.HttpEndpoint is { } http)
                        {
                            kestrel.Listen(http, listen =>
                            {
                                if (settings.HttpTls)
                                {
                                    listen.UseHttps(certificate.Certificate);
                                }
                            });
                        }

                        if (settings.AdminEndpoint is { } admin)
                        {
                            kestrel.Listen(admin);
                        }
                    })
                    .ConfigureServices(services =>
                    {
                        services.AddRouting();
                        services.AddOpenApi();
                    })
                    .Configure(app =>
                    {
                        if (settings.AdminEndpoint is { } admin)
                        {
                            app.UseAdminListenerSplit(admin.Port);
                        }

                        app.UseWebSockets();
                        app.UseRouting();
                        app.UseEndpoints(endpoints =>
                        {
                            endpoints.MapHealth();
                            endpoints.MapAgreements();
                            endpoints.MapPrometheusScrapingEndpoint("/metrics");
                            endpoints.MapAdminApi();
                            endpoints.MapConsole();
                            endpoints.MapXmppWebSocket();
                            endpoints.MapHostMeta();
                            endpoints.MapUploads();
                            endpoints.MapWebChat();
                        });

                        // Observable instruments exist from the first scrape on.
                        app.ApplicationServices.GetRequiredService<PeerObservations>();
                    }),
                // ASPNETCORE_URLS and friends must not move a listener the configuration placed.
                options => options.SuppressEnvironmentConfiguration = true);
        }

        return builder.Build();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoadedConfiguration configuration)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);

        // The framework's own information lines (request starts, hosting lifetime) drown the server's;
        // the Logging section of the configuration can turn them back on, its rules come later and win.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddConfiguration(configuration.Root.GetSection("Logging"));
        if (configuration.Settings.LogFormat == LogFormat.Json)
        {
            // One JSON object per line with the event id, category, message and its structured values,
            // for journald or a log shipper; scopes are off because nothing here uses them.
            logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                console.UseUtcTimestamp = true;
                console.IncludeScopes = false;
            });
            return;
        }

        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            console.UseUtcTimestamp = true;
        });
    }
}
