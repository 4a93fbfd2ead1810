using System.Security.Cryptography;

namespace Converge.Xmpp.Sasl;

/// <summary>The hash function a SCRAM mechanism is built on, with the primitives RFC 5802 §2.2 names.</summary>
internal sealed class ScramHash
{
    public static readonly ScramHash Sha1 = new("SHA-1", HashAlgorithmName.SHA1, SHA1.HashSizeInBytes);
    public static readonly ScramHash Sha256 = new("SHA-256", HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);

    private ScramHash(string name, HashAlgorithmName algorithm, int length)
    {
        Name = name;
        Algorithm = algorithm;
        Length = length;
    }

    /// <summary>The name used in <c>ScramCredential.Hash</c> and in the mechanism name.</summary>
    public string Name { get; }

    public HashAlgorithmName Algorithm { get; }

    /// <summary>Output length in bytes; also the length of keys, proofs and signatures.</summary>
    public int Length { get; }

    /// <summary>"SHA-1" or "SHA-256" (case-insensitive); null for anything else.</summary>
    public static ScramHash? Find(string name) =>
        string.Equals(name, Sha1.Name, StringComparison.OrdinalIgnoreCase) ? Sha1
        : string.Equals(name, Sha256.Name, StringComparison.OrdinalIgnoreCase) ? Sha256
        : null;

    public byte[] Hash(ReadOnlySpan<byte> data) =>
        Algorithm == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);

    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        Algorithm == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    /// <summary>Hi() of RFC 5802: PBKDF2 with this hash as the PRF, one block long.</summary>
    public byte[] SaltedPassword(ReadOnlySpan<byte> normalizedPassword, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(normalizedPassword, salt, iterations, Algorithm, Length);
}
