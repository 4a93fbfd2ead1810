using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Tls;
using Converge.Xmpp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>Runs the XMPP server (client listeners, sessions, router) for the host's lifetime.</summary>
internal sealed class XmppService(ConvergeSettings settings, ServerCertificate certificate, IStores stores, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    public XmppServer Server { get; } = new(
        new XmppServerOptions
        {
            Domain = settings.Domain,
            ClientEndpoint = settings.ClientEndpoint,
            ClientDirectTlsEndpoint = settings.ClientDirectTlsEndpoint,
            ServerEndpoint = settings.ServerEndpoint,
            Certificate = certificate.Certificate,
            Xml = settings.XmlLimits,
            Client = settings.ClientLimits,
            OfferChannelBinding = settings.OfferChannelBinding,
            ArchiveRetention = settings.ArchiveRetention,
            Agreements = settings.Interconnection.Agreements,
            ProviderName = settings.Interconnection.ProviderName,
            ProviderLogoUrl = settings.Interconnection.ProviderLogoUrl,
            SmsFallbackAfter = settings.Sms?.FallbackAfter,
        },
        stores,
        loggerFactory);

    public Task StartAsync(CancellationToken cancellationToken) => Server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
