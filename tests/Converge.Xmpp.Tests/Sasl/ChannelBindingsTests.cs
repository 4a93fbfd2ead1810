using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>tls-server-end-point (RFC 5929 §4.1): which hash applies to which certificate.</summary>
public sealed class ChannelBindingsTests
{
    private static readonly RSA RsaKey = RSA.Create(2048);

    [Fact]
    public void Rsa_sha256_certificate_is_hashed_with_sha256()
    {
        using var cert = SelfSigned(new CertificateRequest("CN=a.example", RsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal(SHA256.HashData(cert.RawData), ChannelBindings.TlsServerEndPoint(cert));
    }

    [Theory]
    [InlineData("1.2.840.113549.1.1.5")] // sha1WithRSAEncryption
    [InlineData("1.2.840.113549.1.1.4")] // md5WithRSAEncryption
    public void Sha1_or_md5_signed_certificate_is_hashed_with_sha256_instead(string signatureOid)
    {
        using var cert = SignedAs(signatureOid);

        Assert.Equal(signatureOid, cert.SignatureAlgorithm.Value);
        Assert.Equal(SHA256.HashData(cert.RawData), ChannelBindings.TlsServerEndPoint(cert));
    }

    [Fact]
    public void Certificate_signed_with_a_hash_net_lacks_has_no_binding()
    {
        using var cert = SignedAs("1.2.840.113549.1.1.14"); // sha224WithRSAEncryption

        Assert.False(ChannelBindings.TryTlsServerEndPoint(cert, out var data));
        Assert.Null(data);
        Assert.Throws<NotSupportedException>(() => ChannelBindings.TlsServerEndPoint(cert));
    }

    [Fact]
    public void Ecdsa_sha384_certificate_is_hashed_with_sha384()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var cert = SelfSigned(new CertificateRequest("CN=a.example", ecdsa, HashAlgorithmName.SHA384));

        Assert.Equal(SHA384.HashData(cert.RawData), ChannelBindings.TlsServerEndPoint(cert));
    }

    [Fact]
    public void Ecdsa_sha512_certificate_is_hashed_with_sha512()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(new CertificateRequest("CN=a.example", ecdsa, HashAlgorithmName.SHA512));

        Assert.Equal(SHA512.HashData(cert.RawData), ChannelBindings.TlsServerEndPoint(cert));
    }

    [Fact]
    public void Rsa_pss_certificate_is_hashed_with_the_hash_in_its_parameters()
    {
        using var cert = SelfSigned(new CertificateRequest("CN=a.example", RsaKey, HashAlgorithmName.SHA384, RSASignaturePadding.Pss));

        Assert.Equal("1.2.840.113549.1.1.10", cert.SignatureAlgorithm.Value);
        Assert.Equal(SHA384.HashData(cert.RawData), ChannelBindings.TlsServerEndPoint(cert));
    }

    // CertificateRequest refuses weak hashes, so write the signature algorithm ourselves; only the
    // algorithm identifier matters here, the signature is never checked.
    private static X509Certificate2 SignedAs(string signatureOid)
    {
        var generator = new FixedAlgorithmGenerator(signatureOid, X509SignatureGenerator.CreateForRSA(RsaKey, RSASignaturePadding.Pkcs1));
        var request = new CertificateRequest(new X500DistinguishedName("CN=a.example"), generator.PublicKey, HashAlgorithmName.SHA256);
        return request.Create(request.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1]);
    }

    private sealed class FixedAlgorithmGenerator(string oid, X509SignatureGenerator inner) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                writer.WriteNull();
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => inner.SignData(data, HashAlgorithmName.SHA256);

        protected override PublicKey BuildPublicKey() => inner.PublicKey;
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request) =>
        request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
}
