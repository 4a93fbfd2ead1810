using System.Security.Cryptography.X509Certificates;

namespace Converge.Tls;

/// <summary>The certificate the listeners present, and where it came from (for the start-up log).</summary>
/// <param name="Certificate">With its private key, usable by SslStream.</param>
/// <param name="Source">The certificate file it was read from.</param>
/// <param name="Origin">Whether it was configured, generated now, or a generated one reused.</param>
internal sealed record ServerCertificate(X509Certificate2 Certificate, string Source, CertificateOrigin Origin);
