using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Sasl;

/// <summary>
/// Computes channel binding data from what the TLS layer exposes. .NET's SslStream has no TLS exporter,
/// so the binding we can offer is tls-server-end-point.
/// </summary>
public static class ChannelBindings
{
    private const string RsaSsaPss = "1.2.840.113549.1.1.10";

    /// <summary>
    /// tls-server-end-point (RFC 5929 §4.1): the hash of the server certificate (DER), with the hash function
    /// of the certificate's signature, except that MD5 and SHA-1 are replaced by SHA-256.
    /// </summary>
    /// <exception cref="NotSupportedException">
    /// The signature uses no single hash function (Ed25519, Ed448) or one .NET lacks (SHA-224): the binding is
    /// undefined for such a certificate, so do not offer -PLUS.
    /// </exception>
    public static byte[] TlsServerEndPoint(X509Certificate2 serverCertificate) =>
        TryTlsServerEndPoint(serverCertificate, out var data)
            ? data
            : throw new NotSupportedException(
                $"tls-server-end-point is undefined for a certificate signed with {serverCertificate.SignatureAlgorithm.FriendlyName ?? serverCertificate.SignatureAlgorithm.Value}.");

    /// <summary>Like <see cref="TlsServerEndPoint"/>, but false instead of an exception.</summary>
    public static bool TryTlsServerEndPoint(X509Certificate2 serverCertificate, [NotNullWhen(true)] out byte[]? data)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        data = SignatureHash(serverCertificate.RawData) switch
        {
            { } hash when hash == HashAlgorithmName.SHA256 => SHA256.HashData(serverCertificate.RawData),
            { } hash when hash == HashAlgorithmName.SHA384 => SHA384.HashData(serverCertificate.RawData),
            { } hash when hash == HashAlgorithmName.SHA512 => SHA512.HashData(serverCertificate.RawData),
            _ => null,
        };
        return data is not null;
    }

    // The hash to use for the certificate, already upgraded from MD5/SHA-1 to SHA-256; null when undefined.
    private static HashAlgorithmName? SignatureHash(byte[] certificate)
    {
        try
        {
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }
            var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
            outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            return oid == RsaSsaPss ? PssHash(algorithm) : HashOfSignature(oid);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static HashAlgorithmName? HashOfSignature(string oid) => oid switch
    {
        "1.2.840.113549.1.1.4" // md5WithRSAEncryption
            or "1.2.840.113549.1.1.5" or "1.3.14.3.2.29" // sha1WithRSAEncryption
            or "1.2.840.10045.4.1" // ecdsa-with-SHA1
            or "1.2.840.10040.4.3" // id-dsa-with-sha1
            => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" or "2.16.840.1.101.3.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" or "2.16.840.1.101.3.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" or "2.16.840.1.101.3.4.3.4" => HashAlgorithmName.SHA512,
        _ => null,
    };

    // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, ... } (RFC 4055 §3.1)
    private static HashAlgorithmName? PssHash(AsnReader algorithm)
    {
        var hashOid = "1.3.14.3.2.26";
        if (algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var parameters = algorithm.ReadSequence();
            var explicitHash = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(explicitHash))
            {
                hashOid = parameters.ReadSequence(explicitHash).ReadSequence().ReadObjectIdentifier();
            }
        }

        return hashOid switch
        {
            "1.3.14.3.2.26" or "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256, // SHA-1 upgrades to SHA-256
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => null,
        };
    }
}
