using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Certificates for federation tests: self-signed ones (dialback only) and ones issued by a test CA (SASL EXTERNAL).</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyAuthority = new(CreateAuthority);

    /// <summary>The test CA; trust it to make issued certificates authenticate their domains.</summary>
    public static X509Certificate2 Authority => LazyAuthority.Value;

    public static X509Certificate2 SelfSigned(string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + domain, key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, domain);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Reload(certificate);
    }

    /// <summary>A certificate for <paramref name="domain"/> signed by <see cref="Authority"/>.</summary>
    public static X509Certificate2 Issued(string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + domain, key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, domain);
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    private static void AddServerExtensions(CertificateRequest request, string domain)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
    }

    private static X509Certificate2 CreateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Converge Test Federation CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        return Reload(certificate);
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
}
