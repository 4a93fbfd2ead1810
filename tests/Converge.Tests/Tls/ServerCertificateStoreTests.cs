using System.Security.Cryptography.X509Certificates;
using Converge.Configuration;
using Converge.Tls;

namespace Converge.Tests.Tls;

public sealed class ServerCertificateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void First_start_generates_a_self_signed_certificate_for_the_domain_and_its_subdomains()
    {
        var settings = Settings("a.example");

        var result = ServerCertificateStore.Load(settings, TimeProvider.System);

        using var certificate = result.Certificate;
        Assert.Equal(CertificateOrigin.Generated, result.Origin);
        Assert.Equal("CN=a.example", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("a.example"));
        Assert.True(certificate.MatchesHostname("conference.a.example"));
        Assert.False(certificate.MatchesHostname("b.example"));
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["a.example", "*.a.example"], san.EnumerateDnsNames());
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(3650), TimeSpan.FromDays(3651));
        Assert.True(File.Exists(Path.Combine(settings.DataDirectory, "tls", "cert.pem")));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public void An_address_literal_domain_gets_an_IP_address_name(string domain)
    {
        using var certificate = ServerCertificateStore.Generate(domain, DateTimeOffset.UtcNow);

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([System.Net.IPAddress.Parse(domain.Trim('[', ']'))], san.EnumerateIPAddresses());
        Assert.Empty(san.EnumerateDnsNames());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_generated_key_file_is_readable_by_the_owner_only()
    {
        var settings = Settings("a.example");

        ServerCertificateStore.Load(settings, TimeProvider.System).Certificate.Dispose();

        var mode = File.GetUnixFileMode(Path.Combine(settings.DataDirectory, "tls", "key.pem"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void Second_start_reuses_the_generated_certificate()
    {
        var settings = Settings("a.example");
        using var first = ServerCertificateStore.Load(settings, TimeProvider.System).Certificate;

        var second = ServerCertificateStore.Load(settings, TimeProvider.System);

        using var certificate = second.Certificate;
        Assert.Equal(CertificateOrigin.Reused, second.Origin);
        Assert.Equal(first.Thumbprint, certificate.Thumbprint);
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void A_generated_certificate_for_another_domain_is_replaced()
    {
        using var first = ServerCertificateStore.Load(Settings("a.example"), TimeProvider.System).Certificate;

        var second = ServerCertificateStore.Load(Settings("b.example"), TimeProvider.System);

        using var certificate = second.Certificate;
        Assert.Equal(CertificateOrigin.Generated, second.Origin);
        Assert.Equal("CN=b.example", certificate.Subject);
    }

    [Fact]
    public void A_configured_PEM_pair_is_loaded_with_its_private_key()
    {
        using var generated = ServerCertificateStore.Generate("c.example", DateTimeOffset.UtcNow);
        using var key = generated.GetECDsaPrivateKey()!;
        var certificatePath = _dir.Write("operator/c.pem", generated.ExportCertificatePem());
        var keyPath = _dir.Write("operator/c.key", key.ExportPkcs8PrivateKeyPem());
        var settings = Settings("c.example") with { CertificatePath = certificatePath, KeyPath = keyPath };

        var result = ServerCertificateStore.Load(settings, TimeProvider.System);

        using var certificate = result.Certificate;
        Assert.Equal(CertificateOrigin.Configured, result.Origin);
        Assert.Equal(generated.Thumbprint, certificate.Thumbprint);
        Assert.True(certificate.HasPrivateKey);
        Assert.False(Directory.Exists(Path.Combine(settings.DataDirectory, "tls")));
    }

    [Fact]
    public void A_configured_key_that_is_not_a_key_is_a_configuration_error()
    {
        using var generated = ServerCertificateStore.Generate("c.example", DateTimeOffset.UtcNow);
        var certificatePath = _dir.Write("c.pem", generated.ExportCertificatePem());
        var keyPath = _dir.Write("c.key", "not a key");
        var settings = Settings("c.example") with { CertificatePath = certificatePath, KeyPath = keyPath };

        var error = Assert.Throws<ConfigurationException>(() => ServerCertificateStore.Load(settings, TimeProvider.System));

        Assert.Equal("Tls.CertificatePath", error.Key);
        Assert.DoesNotContain('\n', error.Message);
    }

    private ConvergeSettings Settings(string domain) => new()
    {
        Domain = domain,
        DataDirectory = _dir.File("data"),
        StoragePath = _dir.File("data/converge.db"),
        XmlLimits = new(),
        ClientLimits = new(),
    };
}
