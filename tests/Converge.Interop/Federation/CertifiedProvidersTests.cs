using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Three real <c>converge serve</c> processes whose agreements require peers to prove their domain
/// with a certificate. a.test and b.test have certificates from a CA that both trust
/// (<c>Federation.TrustedCertificates</c>, so <c>RequireCertificate</c> defaults to true); c.test has
/// the self-signed certificate Converge makes for itself. A has agreements with both B and C.
/// </summary>
public sealed class CertifiedProviders : IAsyncLifetime
{
    private readonly int _aServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _bServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _cServerPort = ConvergeServer.FreeTcpPort();
    private DirectoryInfo? _certificates;

    internal ConvergeServer A { get; private set; } = null!;

    internal ConvergeServer B { get; private set; } = null!;

    internal ConvergeServer C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _certificates = Directory.CreateTempSubdirectory("converge-interop-ca-");
        using var authority = PeerServerFiles.CertificateAuthority("Interconnection Test CA");
        var authorityPath = Path.Combine(_certificates.FullName, "ca.pem");
        await File.WriteAllTextAsync(authorityPath, authority.ExportCertificatePem() + "\n");

        A = new ConvergeServer
        {
            XmppDomain = "a.test",
            ServerToServerPort = _aServerPort,
            ExtraConfig = await CertifiedAsync(
                AgreementConfig.With(null, ("b.test", _bServerPort, null), ("c.test", _cServerPort, null)), "a.test", authority, authorityPath),
        };
        B = new ConvergeServer
        {
            XmppDomain = "b.test",
            ServerToServerPort = _bServerPort,
            ExtraConfig = await CertifiedAsync(AgreementConfig.With(null, ("a.test", _aServerPort, null)), "b.test", authority, authorityPath),
        };
        C = new ConvergeServer
        {
            XmppDomain = "c.test",
            ServerToServerPort = _cServerPort,
            ExtraConfig = AgreementConfig.With(null, ("a.test", _aServerPort, null)),
        };

        await A.InitializeAsync();
        await B.InitializeAsync();
        await C.InitializeAsync();
    }

    /// <summary>Adds a certificate for <paramref name="domain"/> issued by <paramref name="authority"/>, and trust in that authority.</summary>
    private async Task<JsonObject> CertifiedAsync(JsonObject config, string domain, X509Certificate2 authority, string authorityPath)
    {
        var (certificate, key) = PeerServerFiles.CertificatePem(domain, authority);
        var certificatePath = Path.Combine(_certificates!.FullName, domain + ".crt");
        var keyPath = Path.Combine(_certificates.FullName, domain + ".key");
        await File.WriteAllTextAsync(certificatePath, certificate);
        await File.WriteAllTextAsync(keyPath, key);
        config["Tls"] = new JsonObject { ["CertificatePath"] = certificatePath, ["KeyPath"] = keyPath };
        config["Federation"]!.AsObject()["TrustedCertificates"] = new JsonArray(authorityPath);
        return config;
    }

    internal string Logs() => $"--- a.test:\n{A.Log}\n--- b.test:\n{B.Log}\n--- c.test:\n{C.Log}";

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { C, B, A })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        _certificates?.Delete(recursive: true);
    }
}

/// <summary>RequireCertificate between real Converge providers: proven peers link with SASL EXTERNAL both ways, an unproven one not at all.</summary>
public sealed class CertifiedProvidersTests(CertifiedProviders providers, ITestOutputHelper output) : IClassFixture<CertifiedProviders>
{
    [Fact]
    public async Task Providers_that_prove_their_domains_to_each_other_interconnect_with_sasl_external_both_ways()
    {
        await CrossProviderScenario.PassesAsync(
            output,
            (providers.A.ClientPort, providers.A.XmppDomain, "alice", ConvergeServer.Password),
            (providers.B.ClientPort, providers.B.XmppDomain, "bob", ConvergeServer.Password),
            providers.Logs);

        Assert.Matches(@"Outbound link to b\.test is up via \S+ \(sasl-external\)", providers.A.Log);
        Assert.Matches(@"Outbound link to a\.test is up via \S+ \(sasl-external\)", providers.B.Log);
        Assert.Contains("authenticated b.test (sasl-external)", providers.A.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_user_writing_to_a_provider_that_does_not_prove_its_domain_gets_an_error_and_nothing_crosses()
    {
        // seed000_two_providers.py "stranger": the first account writes to the second, expects an error and checks the second got nothing.
        await StrangerPassesAsync(
            sender: (providers.A, "alice"),
            recipient: (providers.C, "carol"),
            "^ERROR carol from=carol@c\\.test type=cancel condition=remote-server-timeout text='The server of c\\.test did not prove its domain");

        Assert.Contains("c.test did not prove its domain, which its agreement requires: its certificate (CN=c.test", providers.A.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_cannot_prove_its_domain_is_not_let_in_by_dialback()
    {
        await StrangerPassesAsync(
            sender: (providers.C, "carol"),
            recipient: (providers.A, "alice"),
            "^ERROR carol from=alice@a\\.test type=cancel condition=remote-server-timeout ");

        Assert.Contains(
            "closed with stream error not-authorized: The interconnection agreement with c.test requires it to authenticate with a trusted certificate (SASL EXTERNAL); dialback is not accepted.",
            providers.A.Log,
            StringComparison.Ordinal);
    }

    /// <param name="errorLine">The script's line for the error the sender gets (its roles are named carol, the sender, and alice).</param>
    private async Task StrangerPassesAsync((ConvergeServer Server, string User) sender, (ConvergeServer Server, string User) recipient, string errorLine)
    {
        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "seed000_two_providers.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, "stranger", "--carol", Account(sender.Server, sender.User), "--alice", Account(recipient.Server, recipient.User)],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });

        // a.test's log is the one that matters: it is a.test's agreement with c.test that decides either way.
        await ScenarioAssert.PassesAsync(peer, providers.A, output, "^LOGIN alice ", "^LOGIN carol ", errorLine, "^NOTHING alice received no message$", "^PASS$");
    }

    private static string Account(ConvergeServer server, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.ClientPort}:{server.XmppDomain}:{user}:{ConvergeServer.Password}");
}
