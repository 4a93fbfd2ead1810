using System.Security.Cryptography.X509Certificates;

namespace Converge.Interworking.Sms;

/// <summary>
/// SMPP over TLS (<c>Sms.Tls</c>): SMPP 3.4 itself has no encryption, and a bind carries the password
/// and every message in clear, so an SMSC across a network the provider does not own is reached
/// through TLS (the SMSC or a TLS terminator in front of it, as operators offer it).
/// </summary>
public sealed class SmppTlsOptions
{
    /// <summary>Connect with TLS; off by default (an SMSC on the provider's own network).</summary>
    public bool Enabled { get; set; }

    /// <summary>The name the SMSC's certificate must carry; null: the host of <c>Sms.Smsc</c>.</summary>
    public string? ServerName { get; set; }

    /// <summary>
    /// The certificates the SMSC's must chain to (<c>Sms.Tls.CertificateAuthority</c>), in place of the
    /// system's roots; null: the system's roots.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }
}
