using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Configuration;

namespace Converge.Tls;

/// <summary>
/// Provides the TLS certificate: the operator's PEM pair when configured, otherwise a self-signed
/// one generated into <c>&lt;DataDirectory&gt;/tls</c> on first start and reused afterwards, so
/// that clients which pinned it on first use keep trusting it across restarts.
/// </summary>
internal static class ServerCertificateStore
{
    private const string CertificateFile = "cert.pem";
    private const string KeyFile = "key.pem";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    // A generated certificate this close to expiry is replaced at start rather than left to lapse while running.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static ServerCertificate Load(ConvergeSettings settings, TimeProvider time)
    {
        if (settings.CertificatePath is not null && settings.KeyPath is not null)
        {
            return new ServerCertificate(LoadConfigured(settings.CertificatePath, settings.KeyPath), settings.CertificatePath, CertificateOrigin.Configured);
        }

        var directory = settings.GeneratedCertificateDirectory;
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var now = time.GetUtcNow();
        if (TryLoadGenerated(certificatePath, keyPath) is { } existing)
        {
            if (existing.MatchesHostname(settings.Domain) && existing.NotAfter.ToUniversalTime() > now.UtcDateTime + RenewBefore)
            {
                return new ServerCertificate(existing, certificatePath, CertificateOrigin.Reused);
            }

            existing.Dispose();
        }

        var generated = Generate(settings.Domain, now);
        Save(generated, directory, certificatePath, keyPath);
        return new ServerCertificate(generated, certificatePath, CertificateOrigin.Generated);
    }

    /// <summary>A self-signed certificate for the domain and its subdomains (components such as conference.domain).</summary>
    internal static X509Certificate2 Generate(string domain, DateTimeOffset now)
    {
        // ECDSA P-256: every TLS 1.2+ stack takes it, and creating it is instant where RSA takes a noticeable while.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + domain), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(domain.Trim('[', ']'), out var address))
        {
            // An address-literal domain (a lab setup) is named by an iPAddress entry and has no subdomains.
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(domain);
            names.AddDnsName("*." + domain);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));

        // clientAuth too: on a server-to-server link this certificate also authenticates us as the connecting side.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // An hour back so that a peer whose clock is slightly behind does not see a not-yet-valid certificate.
        using var created = request.CreateSelfSigned(now.AddHours(-1), now + Lifetime);
        return UsableBySslStream(created);
    }

    private static X509Certificate2 LoadConfigured(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return UsableBySslStream(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("Tls.CertificatePath", $"cannot use '{certificatePath}' with key '{keyPath}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static X509Certificate2? TryLoadGenerated(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return UsableBySslStream(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Our own files, damaged: generating a new pair is the only repair there is.
            return null;
        }
    }

    /// <summary>
    /// A key read from PEM is ephemeral; SslStream wants one it can hand to the platform's TLS
    /// (on Linux, OpenSSL via a PKCS#12 import), so the pair is exported and imported once.
    /// </summary>
    private static X509Certificate2 UsableBySslStream(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    private static void Save(X509Certificate2 certificate, string directory, string certificatePath, string keyPath)
    {
        CreatePrivateDirectory(directory);
        using var key = certificate.GetECDsaPrivateKey()!;
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certificatePath, certificate.ExportCertificatePem());
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // Written next to the target and renamed, so a crash never leaves half a key that the next start would trust.
    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
