using System.Net;
using System.Security.Cryptography.X509Certificates;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>The federation settings the host passes in <see cref="XmppServerOptions"/> are the ones its server-to-server links run with.</summary>
public sealed class ServerFederationOptionsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "converge-s2s-options-" + Guid.NewGuid().ToString("N"));
    private IStores? _stores;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stores = await SqliteStores.OpenAsync(Path.Combine(_directory, "test.db"));
    }

    public async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Link_settings_given_by_the_host_reach_the_federation_service()
    {
        var trusted = new X509Certificate2Collection(TestCertificates.Authority);
        await using var server = await StartAsync(new XmppServerOptions
        {
            Domain = "a.test",
            ServerEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = TestCertificates.SelfSigned("a.test"),
            FederationConnectTimeout = TimeSpan.FromSeconds(3),
            FederationLinkSetupTimeout = TimeSpan.FromSeconds(45),
            FederationIdleTimeout = TimeSpan.FromMinutes(2),
            FederationMaxQueuedPerDomain = 500,
            FederationMaxInboundConnections = 20,
            FederationTrustedCertificates = trusted,
            FederationDialbackSecret = "shared by every node",
        });

        var options = server.ServerToServer!.Options;
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LinkSetupTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.IdleTimeout);
        Assert.Equal(500, options.MaxQueuedPerDomain);
        Assert.Equal(20, options.MaxInboundConnections);
        Assert.Same(trusted, options.TrustedCertificates);
        Assert.Equal("shared by every node", options.DialbackSecret);
    }

    [Fact]
    public async Task Link_settings_the_host_leaves_unset_keep_the_federation_defaults()
    {
        await using var server = await StartAsync(new XmppServerOptions
        {
            Domain = "a.test",
            ServerEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = TestCertificates.SelfSigned("a.test"),
        });

        var options = server.ServerToServer!.Options;
        var defaults = new FederationOptions();
        Assert.Equal(defaults.ConnectTimeout, options.ConnectTimeout);
        Assert.Equal(defaults.LinkSetupTimeout, options.LinkSetupTimeout);
        Assert.Equal(defaults.IdleTimeout, options.IdleTimeout);
        Assert.Equal(defaults.MaxQueuedPerDomain, options.MaxQueuedPerDomain);
        Assert.Equal(defaults.MaxInboundConnections, options.MaxInboundConnections);
        Assert.Null(options.TrustedCertificates);
        Assert.Null(options.DialbackSecret);
    }

    private async Task<XmppServer> StartAsync(XmppServerOptions options)
    {
        var server = new XmppServer(options, _stores!, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return server;
    }
}
