using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Whether a peer's TLS certificate proves its domain (RFC 6125 as XEP-0178 applies it): the chain
/// ends in a trusted root and the certificate names the domain (dNSName, or CN where there is no
/// SAN). Only then is SASL EXTERNAL used; otherwise links fall back to dialback, unless the
/// agreement requires the proof.
/// </summary>
internal static class PeerCertificateTrust
{
    public static bool IsTrustedFor(PeerCertificate? certificate, string domain, X509Certificate2Collection? trustedRoots) =>
        WhyNotTrustedFor(certificate, domain, trustedRoots) is null;

    /// <summary>Null when the certificate proves <paramref name="domain"/>; else why not, for the log.</summary>
    public static string? WhyNotTrustedFor(PeerCertificate? certificate, string domain, X509Certificate2Collection? trustedRoots)
    {
        if (certificate is null)
        {
            return "it presented no certificate";
        }

        if (!certificate.Leaf.MatchesHostname(domain, allowWildcards: true, allowCommonName: true))
        {
            return $"its certificate ({certificate.Leaf.Subject}) does not name {domain}";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (trustedRoots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        }

        chain.ChainPolicy.ExtraStore.AddRange(certificate.Intermediates);
        if (chain.Build(certificate.Leaf))
        {
            return null;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"its certificate ({certificate.Leaf.Subject}, issued by {certificate.Leaf.Issuer}) does not chain to a trusted root ({status})";
    }
}
