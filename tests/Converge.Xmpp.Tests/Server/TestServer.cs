using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Server;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Xmpp.Tests.Server;

/// <summary>A real server on loopback with a temporary SQLite store, for end-to-end tests over TCP and TLS.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Domain = "example.test";
    public const string BobsNumber = "+4915112345678";
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(CreateCertificate);
    private readonly string _directory;

    private TestServer(string directory, IStores stores, XmppServer server, string domain)
    {
        DomainName = domain;
        _directory = directory;
        Stores = stores;
        Server = server;
    }

    public IStores Stores { get; }

    /// <summary>The domain this instance serves.</summary>
    public string DomainName { get; }

    public XmppServer Server { get; }

    public IPEndPoint Endpoint => Server.BoundEndpoints[0];

    public IPEndPoint DirectTlsEndpoint => Server.BoundEndpoints[1];

    public static async Task<TestServer> StartAsync(Action<ClientLimits>? client = null, Action<XmlLimits>? xml = null, bool channelBinding = false, params string[] users) =>
        await StartAsync(Domain, federation: false, client, xml, channelBinding, users);

    /// <summary>A server for <paramref name="domain"/>; with <paramref name="federation"/>, also a server-to-server listener on a free port.</summary>
    public static Task<TestServer> StartAsync(string domain, bool federation, Action<ClientLimits>? client = null, Action<XmlLimits>? xml = null, bool channelBinding = false, params string[] users) =>
        StartAsync(domain, federation, client, xml, channelBinding, upload: null, archiveQuota: 0, rtbl: null, users: users);

    /// <summary>A server that also serves HTTP File Upload on upload.&lt;domain&gt;, with files under its temp directory.</summary>
    public static Task<TestServer> StartWithUploadAsync(long maxFileSize = 1000, long quota = 5000) =>
        StartAsync(Domain, federation: false, upload: directory => new Upload.UploadSettings
        {
            Domain = "upload." + Domain,
            PublicUrl = new Uri("http://127.0.0.1:5280/"),
            Directory = Path.Combine(directory, "uploads"),
            MaxFileSize = maxFileSize,
            QuotaBytesPerUser = quota,
        });

    /// <summary>A server following real-time blocklists (Federation.Rtbl).</summary>
    public static Task<TestServer> StartWithRtblAsync(params Converge.Xmpp.Federation.Rtbl.RtblSource[] rtbl) =>
        StartAsync(Domain, federation: false, rtbl: rtbl);

    /// <summary>A server with Archive.QuotaBytesPerUser set.</summary>
    public static Task<TestServer> StartWithArchiveQuotaAsync(long quotaBytes) =>
        StartAsync(Domain, federation: false, archiveQuota: quotaBytes);

    private static async Task<TestServer> StartAsync(
        string domain, bool federation, Action<ClientLimits>? client = null, Action<XmlLimits>? xml = null, bool channelBinding = false,
        Func<string, Upload.UploadSettings>? upload = null, long archiveQuota = 0, Converge.Xmpp.Federation.Rtbl.RtblSource[]? rtbl = null, params string[] users)
    {
        var directory = Path.Combine(Path.GetTempPath(), "converge-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var stores = await SqliteStores.OpenAsync(Path.Combine(directory, "test.db"));
        foreach (var user in users.Length == 0 ? ["alice", "bob", "carol"] : users)
        {
            var account = NewAccount(user, "secret-" + user, domain);
            if (user == "bob")
            {
                account = account with { Msisdn = BobsNumber };
            }

            await stores.Accounts.CreateAsync(account);
        }

        var clientLimits = new ClientLimits { AuthFailuresBeforeDelay = 100 };
        client?.Invoke(clientLimits);
        var xmlLimits = new XmlLimits();
        xml?.Invoke(xmlLimits);
        var options = new XmppServerOptions
        {
            Domain = domain,
            ServerEndpoint = federation ? new IPEndPoint(IPAddress.Loopback, 0) : null,
            FederationRequiresTls = true,
            ClientEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            ClientDirectTlsEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = SharedCertificate.Value,
            Client = clientLimits,
            Xml = xmlLimits,
            OfferChannelBinding = channelBinding,
            Upload = upload?.Invoke(directory),
            ArchiveQuotaBytesPerUser = archiveQuota,
            Rtbl = rtbl ?? [],
        };
        var server = new XmppServer(options, stores, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new TestServer(directory, stores, server, domain);
    }

    public static Account NewAccount(string user, string password, string domain = Domain) =>
        new(Jid.Parse(user + "@" + domain), [ScramCredentials.Derive("SHA-1", password, iterations: 1000), ScramCredentials.Derive("SHA-256", password, iterations: 1000)]);

    public Task<TestClient> LoginAsync(string user, string? resource = null, bool available = true) =>
        TestClient.LoginAsync(Endpoint, directTls: false, DomainName, user, "secret-" + user, resource, available);

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Domain, key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
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
