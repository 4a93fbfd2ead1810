using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>A self-signed certificate for loopback TLS, also written as PEM files for Python peers.</summary>
internal static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Shared = new(Create);

    public static X509Certificate2 Instance => Shared.Value;

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Writes the certificate and key as PEM into <paramref name="directory"/>; returns (cert, key) paths.</summary>
    public static (string Certificate, string Key) WritePem(string directory)
    {
        var certificate = Path.Combine(directory, "cert.pem");
        var key = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificate, Instance.ExportCertificatePem());
        File.WriteAllText(key, Instance.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificate, key);
    }
}
