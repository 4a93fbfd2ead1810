using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// Whether the SMSC's TLS certificate is the one configured: it names <see cref="SmppTlsOptions.ServerName"/>
/// (or the SMSC host) and chains to <see cref="SmppTlsOptions.TrustedRoots"/> (or the system's roots). No
/// bind - and so no password and no submit_sm - goes to a server that fails either test.
/// </summary>
internal static class SmscCertificateCheck
{
    /// <summary>Null when the certificate is acceptable; else why not, for the log.</summary>
    public static string? WhyRefused(X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors, string serverName, X509Certificate2Collection? trustedRoots)
    {
        if (presented is not X509Certificate2 leaf || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the SMSC presented no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || !leaf.MatchesHostname(serverName, allowWildcards: true, allowCommonName: true))
        {
            return $"its certificate ({leaf.Subject}) does not name {serverName}";
        }

        if (trustedRoots is null)
        {
            // The system's roots: the platform's own verdict stands.
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0
                ? null
                : $"its certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to a trusted root";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(leaf))
        {
            return null;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"its certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to Sms.Tls.CertificateAuthority ({status})";
    }
}
