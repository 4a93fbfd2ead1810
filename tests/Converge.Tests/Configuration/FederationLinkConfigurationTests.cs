using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Cli;
using Converge.Configuration;
using Converge.Hosting;

namespace Converge.Tests.Configuration;

/// <summary>The link keys of the Federation section reach the XMPP server's options; a wrong one stops the command naming it.</summary>
public sealed class FederationLinkConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConvergeSettings Load(string json) => ConfigurationLoader.Load(_dir.Write("converge.json", json), NoEnvironment).Settings;

    [Fact]
    public void Every_link_key_reaches_the_xmpp_server_options()
    {
        _dir.Write("peers/ca.pem", PemOf("CN=Peer CA One") + PemOf("CN=Peer CA Two"));
        _dir.Write("peers/b.example.pem", PemOf("CN=b.example"));
        var settings = Load("""
            {
              "Domain": "a.example",
              "Federation": {
                "Open": false,
                "ConnectTimeout": "00:00:05",
                "LinkSetupTimeout": "00:01:00",
                "IdleTimeout": "00:30:00",
                "MaxQueuedPerDomain": 2000,
                "MaxInboundConnections": 300,
                "RequireTls": false,
                "TrustedCertificates": ["peers/ca.pem", "peers/b.example.pem"],
                "DialbackSecret": "0123456789abcdef0123456789abcdef",
                "DnsServer": "127.0.0.1:5353"
              }
            }
            """);

        var options = XmppService.OptionsFor(settings, Certificate("CN=a.example"));

        Assert.Equal(TimeSpan.FromSeconds(5), options.FederationConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.FederationLinkSetupTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), options.FederationIdleTimeout);
        Assert.Equal(2000, options.FederationMaxQueuedPerDomain);
        Assert.Equal(300, options.FederationMaxInboundConnections);
        Assert.False(options.FederationRequiresTls);
        Assert.Equal(["CN=Peer CA One", "CN=Peer CA Two", "CN=b.example"], options.FederationTrustedCertificates!.Select(c => c.Subject));
        Assert.Equal("0123456789abcdef0123456789abcdef", options.FederationDialbackSecret);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5353), options.FederationDnsServer);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Without_link_keys_the_federation_keeps_its_defaults_and_the_system_roots()
    {
        var settings = Load("""{ "Domain": "a.example", "Federation": { "Open": true } }""");

        var options = XmppService.OptionsFor(settings, Certificate("CN=a.example"));

        Assert.Null(options.FederationConnectTimeout);
        Assert.Null(options.FederationLinkSetupTimeout);
        Assert.Null(options.FederationIdleTimeout);
        Assert.Null(options.FederationMaxQueuedPerDomain);
        Assert.Null(options.FederationMaxInboundConnections);
        Assert.True(options.FederationRequiresTls);
        Assert.Null(options.FederationTrustedCertificates);
        Assert.Null(options.FederationDialbackSecret);
        Assert.Null(options.FederationDnsServer);
    }

    [Fact]
    public void A_dns_server_without_a_port_is_asked_on_port_53()
    {
        var settings = Load("""{ "Federation": { "DnsServer": "192.0.2.53" } }""");

        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.53"), 53), XmppService.OptionsFor(settings, Certificate("CN=a.example")).FederationDnsServer);
    }

    [Fact]
    public void With_trusted_certificates_every_agreement_requires_a_certificate_unless_it_says_otherwise()
    {
        _dir.Write("peer-ca.pem", PemOf("CN=Peer CA"));
        var settings = Load("""
            {
              "Domain": "a.example",
              "Federation": { "TrustedCertificates": ["peer-ca.pem"] },
              "Agreements": { "b.example": { }, "c.example": { "RequireCertificate": false } }
            }
            """);

        Assert.True(settings.Interconnection.Agreements.Find("b.example")!.RequireCertificate);
        Assert.False(settings.Interconnection.Agreements.Find("c.example")!.RequireCertificate);
    }

    [Fact]
    public void One_trusted_certificate_file_may_be_given_as_a_string_relative_to_the_config_file()
    {
        _dir.Write("conf/peer-ca.pem", PemOf("CN=Peer CA"));
        var settings = ConfigurationLoader.Load(
            _dir.Write("conf/converge.json", """{ "Federation": { "TrustedCertificates": "peer-ca.pem" } }"""), NoEnvironment).Settings;

        Assert.Equal("CN=Peer CA", Assert.Single(settings.FederationLinks.TrustedCertificates!).Subject);
    }

    [Fact]
    public void The_dialback_secret_can_come_from_the_environment_and_never_shows_in_the_settings_text()
    {
        var environment = new Dictionary<string, string> { ["CONVERGE_Federation__DialbackSecret"] = "from the environment, not the file" };

        var settings = ConfigurationLoader.Load(_dir.Write("converge.json", "{}"), environment).Settings;

        Assert.Equal("from the environment, not the file", settings.FederationLinks.DialbackSecret);
        Assert.DoesNotContain("from the environment", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Federation": { "ConnectTimeout": "soon" } }""", "Federation.ConnectTimeout")]
    [InlineData("""{ "Federation": { "LinkSetupTimeout": "00:00:00" } }""", "Federation.LinkSetupTimeout")]
    [InlineData("""{ "Federation": { "IdleTimeout": "-00:05:00" } }""", "Federation.IdleTimeout")]
    [InlineData("""{ "Federation": { "MaxQueuedPerDomain": 0 } }""", "Federation.MaxQueuedPerDomain")]
    [InlineData("""{ "Federation": { "MaxInboundConnections": "many" } }""", "Federation.MaxInboundConnections")]
    [InlineData("""{ "Federation": { "RequireTls": "mostly" } }""", "Federation.RequireTls")]
    [InlineData("""{ "Federation": { "TrustedCertificates": ["missing.pem"] } }""", "Federation.TrustedCertificates")]
    [InlineData("""{ "Federation": { "TrustedCertificates": "not-a-certificate.pem" } }""", "Federation.TrustedCertificates")]
    [InlineData("""{ "Federation": { "DialbackSecret": "short" } }""", "Federation.DialbackSecret")]
    [InlineData("""{ "Federation": { "DnsServer": "dns.example" } }""", "Federation.DnsServer")]
    public void A_wrong_value_is_refused_in_one_line_naming_its_key(string json, string key)
    {
        _dir.Write("not-a-certificate.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        var e = Assert.Throws<ConfigurationException>(() => Load(json));

        Assert.Equal(key, e.Key);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_short_dialback_secret_is_refused_without_repeating_it()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("""{ "Federation": { "DialbackSecret": "hunter2" } }"""));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_link_key_makes_serve_exit_2_with_one_line()
    {
        var config = _dir.Write("converge.json", """{ "DataDirectory": "data", "Federation": { "IdleTimeout": "forever" } }""");
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(
            ["serve", "--config", config], new CommandLineContext { Input = TextReader.Null, Output = TextWriter.Null, Error = error }, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Equal("configuration error: Federation.IdleTimeout: 'forever' is not a positive time span like 00:00:30 (hh:mm:ss)", error.ToString().TrimEnd());
    }

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static string PemOf(string subject)
    {
        using var certificate = Certificate(subject);
        return certificate.ExportCertificatePem() + "\n";
    }
}
