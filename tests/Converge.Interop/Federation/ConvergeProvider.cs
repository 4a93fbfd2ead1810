using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Server;
using Microsoft.Extensions.Logging;

namespace Converge.Interop.Federation;

/// <summary>
/// A Converge provider for the federation interop tests: the XMPP server (STARTTLS client port)
/// and its server-to-server service, in this process on loopback, with agreements that reach
/// each peer at a static address. (Until `converge serve` starts the federation service itself.)
/// </summary>
internal sealed class ConvergeProvider : IAsyncDisposable
{
    public const string Password = "secret";

    private readonly DirectoryInfo _directory;
    private readonly IStores _stores;
    private readonly ILoggerFactory _loggers;

    private ConvergeProvider(string domain, DirectoryInfo directory, IStores stores, XmppServer server, FederationService federation, MemoryLog log, ILoggerFactory loggers)
    {
        Domain = domain;
        _directory = directory;
        _stores = stores;
        Server = server;
        Federation = federation;
        Log = log;
        _loggers = loggers;
    }

    public string Domain { get; }

    public XmppServer Server { get; }

    public FederationService Federation { get; }

    public MemoryLog Log { get; }

    public int ClientPort => Server.BoundEndpoints[0].Port;

    public int ServerToServerPort => Federation.Endpoint!.Port;

    public static async Task<ConvergeProvider> StartAsync(string domain, IPEndPoint dns, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("converge-s2s-interop-");
        var stores = await SqliteStores.OpenAsync(Path.Combine(directory.FullName, "converge.db"));
        foreach (var user in users)
        {
            await stores.Accounts.CreateAsync(new Account(
                Jid.Parse(user + "@" + domain),
                [ScramCredentials.Derive("SHA-1", Password, iterations: 4096), ScramCredentials.Derive("SHA-256", Password, iterations: 4096)]));
        }

        var log = new MemoryLog();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(log));
        var server = new XmppServer(
            new XmppServerOptions
            {
                Domain = domain,
                ClientEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                Certificate = SelfSigned(domain),
            },
            stores,
            loggers);
        await server.StartAsync(CancellationToken.None);
        var federation = new FederationService(
            server.Context,
            new FederationOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), DnsServer = dns, LinkSetupTimeout = TimeSpan.FromSeconds(15) },
            new AgreementPolicy(server));
        await federation.StartAsync(CancellationToken.None);
        server.Context.Router.Remote = federation;
        return new ConvergeProvider(domain, directory, stores, server, federation, log, loggers);
    }

    /// <summary>An agreement with <paramref name="peerDomain"/> for everything, its server at <paramref name="address"/>.</summary>
    public void AgreeWith(string peerDomain, string address)
    {
        const InterconnectionFeature everything = InterconnectionFeature.Messaging | InterconnectionFeature.Presence
            | InterconnectionFeature.Subscription | InterconnectionFeature.Search | InterconnectionFeature.Sessions;
        var others = Server.Agreements.Agreements.Where(a => a.PeerDomain != peerDomain);
        Server.UpdateAgreements(new AgreementBook(false, [.. others, new InterconnectionAgreement(peerDomain, address, everything, [], ExposurePolicy.None)], []));
    }

    private static X509Certificate2 SelfSigned(string domain)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + domain, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await Federation.DisposeAsync();
        await Server.DisposeAsync();
        if (Environment.GetEnvironmentVariable("CONVERGE_TEST_LOG") is { Length: > 0 } path)
        {
            await File.AppendAllTextAsync(path, Log.Text); // for reading a passing run too
        }

        await _stores.DisposeAsync();
        _loggers.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The link-level policy from the agreements, as the host wires it.</summary>
    private sealed class AgreementPolicy(XmppServer server) : IFederationPolicy
    {
        public bool MayLink(string peerDomain) => server.Agreements.MayLink(peerDomain);

        public string? StaticAddress(string peerDomain) => server.Agreements.Find(peerDomain)?.Address;
    }
}
