using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Transport;

/// <summary>
/// One <see cref="SslStreamCertificateContext"/> per certificate for the life of the certificate.
/// Handing SslStream a bare certificate makes it build the certificate's chain - reading and sorting
/// the system trust store - on every handshake; that was a third of a login's server CPU.
/// </summary>
internal static class CertificateContexts
{
    private static readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> Cache = [];

    // offline: intermediates come from the local stores only; a server must not stall a handshake
    // on fetching issuer certificates from the network (and most deployments here have no route to it).
    public static SslStreamCertificateContext For(X509Certificate2 certificate) =>
        Cache.GetValue(certificate, static c => SslStreamCertificateContext.Create(c, additionalCertificates: null, offline: true));
}
