namespace Converge.Tls;

internal enum CertificateOrigin
{
    /// <summary>Tls.CertificatePath / Tls.KeyPath.</summary>
    Configured,

    /// <summary>Self-signed, created on this start.</summary>
    Generated,

    /// <summary>Self-signed, created on an earlier start and still valid for the domain.</summary>
    Reused,
}
