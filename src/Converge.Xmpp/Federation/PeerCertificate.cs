using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Federation;

/// <summary>The certificate a peer presented in the TLS handshake, with the intermediates it sent along.</summary>
internal sealed record PeerCertificate(X509Certificate2 Leaf, X509Certificate2Collection Intermediates);
