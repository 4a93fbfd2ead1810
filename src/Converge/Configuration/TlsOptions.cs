namespace Converge.Configuration;

/// <summary>
/// The <c>Tls</c> section: a PEM certificate (chain) and its unencrypted PEM private key, both or
/// neither. Neither means a self-signed certificate generated into the data directory.
/// </summary>
internal sealed class TlsOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    /// <summary>Offer SCRAM-*-PLUS with tls-server-end-point channel binding (off: see docs/configuration.md).</summary>
    public bool ChannelBinding { get; set; }
}
