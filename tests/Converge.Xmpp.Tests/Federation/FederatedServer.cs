using System.Net;
using System.Security.Cryptography.X509Certificates;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Server;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// One provider for federation tests: a real Converge XMPP server for <see cref="Domain"/> on
/// loopback (direct-TLS client port) with its own SQLite store and users, plus a
/// <see cref="FederationService"/> wired in as the router's remote route, as the host will wire it.
/// </summary>
internal sealed class FederatedServer : IAsyncDisposable
{
    private readonly string _directory;

    private FederatedServer(string domain, string directory, IStores stores, XmppServer server, FederationService federation, TestPolicy policy)
    {
        Domain = domain;
        _directory = directory;
        Stores = stores;
        Server = server;
        Federation = federation;
        Policy = policy;
    }

    public string Domain { get; }

    public IStores Stores { get; }

    public XmppServer Server { get; }

    public FederationService Federation { get; }

    public TestPolicy Policy { get; }

    public IPEndPoint ClientEndpoint => Server.BoundEndpoints[0];

    /// <summary>The s2s listener, as "127.0.0.1:port" for a peer's static address.</summary>
    public string Address => $"127.0.0.1:{Federation.Endpoint!.Port}";

    /// <param name="domain">The provider's domain.</param>
    /// <param name="certificate">Its certificate; a self-signed one (dialback only) by default.</param>
    /// <param name="trusted">Roots trusted for peers' certificates (SASL EXTERNAL); none by default.</param>
    /// <param name="linkSetupTimeout">FederationOptions.LinkSetupTimeout; 5 s by default.</param>
    /// <param name="idleTimeout">FederationOptions.IdleTimeout; 10 min by default.</param>
    /// <param name="dnsServer">Where DNS questions go; by default a port nobody answers on, so nothing wanders off.</param>
    /// <param name="dialbackSecret">A fixed dialback secret, to compute keys in a test.</param>
    /// <param name="limits">What peers may send.</param>
    /// <param name="maxQueued">FederationOptions.MaxQueuedPerDomain.</param>
    /// <param name="maxInbound">FederationOptions.MaxInboundConnections (links not yet authenticated).</param>
    /// <param name="maxUnauthenticatedPerAddress">FederationOptions.MaxUnauthenticatedPerAddress.</param>
    /// <param name="log">Where the server logs, to read in the test; by default CONVERGE_TEST_LOG's file or nowhere.</param>
    public static async Task<FederatedServer> StartAsync(
        string domain,
        X509Certificate2? certificate = null,
        X509Certificate2Collection? trusted = null,
        TimeSpan? linkSetupTimeout = null,
        TimeSpan? idleTimeout = null,
        IPEndPoint? dnsServer = null,
        string? dialbackSecret = null,
        XmlLimits? limits = null,
        int maxQueued = 10_000,
        CapturedLog? log = null,
        int maxInbound = 1_000,
        int maxUnauthenticatedPerAddress = 20)
    {
        var directory = Path.Combine(Path.GetTempPath(), "converge-s2s-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var stores = await SqliteStores.OpenAsync(Path.Combine(directory, "test.db"));
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            await stores.Accounts.CreateAsync(new Account(
                Jid.Parse(user + "@" + domain),
                [ScramCredentials.Derive("SHA-256", Password(user), iterations: 1000)]));
        }

        var server = new XmppServer(
            new XmppServerOptions
            {
                Domain = domain,
                ClientDirectTlsEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                Certificate = certificate ?? TestCertificates.SelfSigned(domain),
                Client = new ClientLimits { AuthFailuresBeforeDelay = 100 },
            },
            stores,
            log?.Factory() ?? FileLoggerProvider.FromEnvironment() ?? NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);

        var policy = new TestPolicy(server);
        var options = new FederationOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            LinkSetupTimeout = linkSetupTimeout ?? TimeSpan.FromSeconds(5),
            IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(10),
            DnsServer = dnsServer ?? new IPEndPoint(IPAddress.Loopback, 9),
            TrustedCertificates = trusted ?? [],
            DialbackSecret = dialbackSecret,
            XmlLimits = limits ?? new XmlLimits(),
            MaxQueuedPerDomain = maxQueued,
            MaxInboundConnections = maxInbound,
            MaxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress,
        };
        var federation = new FederationService(server.Context, options, policy);
        await federation.StartAsync(CancellationToken.None);
        server.Context.RemoteRoute.Links = federation;
        return new FederatedServer(domain, directory, stores, server, federation, policy);
    }

    public static string Password(string user) => "secret-" + user;

    /// <summary>Lets this server and <paramref name="other"/> link with each other (an agreement on both sides).</summary>
    public void AgreeWith(FederatedServer other)
    {
        Policy.Allow(other.Domain, other.Address);
        other.Policy.Allow(Domain, Address);
    }

    public Task<TestClient> LoginAsync(string user, string resource = "pc", bool available = true) =>
        TestClient.LoginAsync(ClientEndpoint, directTls: true, Domain, user, Password(user), resource, available);

    public async ValueTask DisposeAsync()
    {
        await Federation.DisposeAsync();
        await Server.DisposeAsync();
        await Stores.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
