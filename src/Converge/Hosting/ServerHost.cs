using Converge.Configuration;
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
                services.AddSingleton<InterworkingService>();
                // The interworking function is on the routing step before the first client connects.
                services.AddHostedService(provider => provider.GetRequiredService<InterworkingService>());
                services.AddHostedService(provider => provider.GetRequiredService<XmppService>());
                services.AddHostedService<AgreementReloader>();
            });

        if (settings.HttpEndpoint is { } http)
        {
            builder.ConfigureWebHost(
                web => web
                    .UseKestrel(kestrel =>
                    {
                        kestrel.AddServerHeader = false;
                        kestrel.Listen(http, listen =>
                        {
                            if (settings.HttpTls)
                            {
                                listen.UseHttps(certificate.Certificate);
                            }
                        });
                    })
                    .ConfigureServices(services => services.AddRouting())
                    .Configure(app =>
                    {
                        app.UseWebSockets();
                        app.UseRouting();
                        app.UseEndpoints(endpoints =>
                        {
                            endpoints.MapHealth();
                            endpoints.MapAgreements();
                            endpoints.MapXmppWebSocket();
                            endpoints.MapHostMeta();
                            endpoints.MapUploads();
                            endpoints.MapWebChat();
                        });
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
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            console.UseUtcTimestamp = true;
        });
    }
}
