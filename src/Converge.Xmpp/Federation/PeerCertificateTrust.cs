using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Whether a peer's TLS certificate proves its domain (RFC 6125 as XEP-0178 applies it): the chain
/// ends in a trusted root and the certificate names the domain (dNSName, or CN where there is no
/// SAN). Only then is SASL EXTERNAL used; otherwise links fall back to dialback.
/// </summary>
internal static class PeerCertificateTrust
{
    public static bool IsTrustedFor(PeerCertificate? certificate, string domain, X509Certificate2Collection? trustedRoots)
    {
        if (certificate is null || !certificate.Leaf.MatchesHostname(domain, allowWildcards: true, allowCommonName: true))
        {
            return false;
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
        return chain.Build(certificate.Leaf);
    }
}
