using System.Security.Cryptography.X509Certificates;
using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Tls;
using Converge.Xmpp.Server;
using DnsClient;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>Runs the XMPP server (client listeners, sessions, router) for the host's lifetime.</summary>
internal sealed class XmppService(
    ConvergeSettings settings, ServerCertificate certificate, IStores stores, IDnsQuery dns, Xmpp.Routing.Cluster.IClusterSessions cluster, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    public XmppServer Server { get; } = new(OptionsFor(settings, certificate.Certificate, dns, cluster), stores, loggerFactory);

    /// <summary>What the XMPP server is told of the configuration.</summary>
    internal static XmppServerOptions OptionsFor(
        ConvergeSettings settings, X509Certificate2 certificate, IDnsQuery? dns = null, Xmpp.Routing.Cluster.IClusterSessions? cluster = null) => new()
    {
        Cluster = cluster ?? Xmpp.Routing.Cluster.SingleNode.Instance,
        Domain = settings.Domain,
        ClientEndpoint = settings.ClientEndpoint,
        ClientDirectTlsEndpoint = settings.ClientDirectTlsEndpoint,
        ServerEndpoint = settings.ServerEndpoint,
        Certificate = certificate,
        Upload = settings.Upload,
        Xml = settings.XmlLimits,
        Client = settings.ClientLimits,
        Server = settings.ServerLimits,
        Pep = settings.PepLimits,
        OfferChannelBinding = settings.OfferChannelBinding,
        ArchiveRetention = settings.ArchiveRetention,
        ArchiveQuotaBytesPerUser = settings.ArchiveQuotaBytesPerUser,
        GroupChat = settings.GroupChat,
        Push = settings.Push,
        ComponentEndpoint = settings.ComponentEndpoint,
        Components = settings.Components,
        ContactAddresses = settings.ContactAddresses,
        ExternalServices = settings.ExternalServices,
        Agreements = settings.Interconnection.Agreements,
        ProviderName = settings.Interconnection.ProviderName,
        ProviderLogoUrl = settings.Interconnection.ProviderLogoUrl,
        SmsFallbackAfter = settings.Sms?.FallbackAfter,
        SmsDestinations = settings.Sms?.Destinations.Policy(settings.Sms.Smpp.CountryCode, settings.Interconnection.OwnNumberRanges) ?? Core.Interworking.SmsDestinationPolicy.Open,
        SmsMaxPerSenderPerDay = settings.Sms?.MaxPerSenderPerDay ?? 0,
        FederationRequiresTls = settings.FederationLinks.RequireTls,
        FederationConnectTimeout = settings.FederationLinks.ConnectTimeout,
        FederationLinkSetupTimeout = settings.FederationLinks.LinkSetupTimeout,
        FederationIdleTimeout = settings.FederationLinks.IdleTimeout,
        FederationMaxQueuedPerDomain = settings.FederationLinks.MaxQueuedPerDomain,
        FederationMaxInboundConnections = settings.FederationLinks.MaxInboundConnections,
        FederationTrustedCertificates = settings.FederationLinks.TrustedCertificates,
        FederationDialbackSecret = settings.FederationLinks.DialbackSecret,
        FederationDnsServer = settings.FederationLinks.DnsServer,
        Rtbl = settings.FederationLinks.Rtbl,
        FederationDns = dns,
    };

    public Task StartAsync(CancellationToken cancellationToken) => Server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
