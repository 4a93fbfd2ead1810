using System.Security.Cryptography;
using System.Text;

namespace Converge.Bench.Xmpp;

/// <summary>
/// The client side of SCRAM-SHA-1 / SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677).
/// The expensive PBKDF2 step comes from <see cref="ScramKeyCache"/>, as a real client that
/// remembers its salted password would do; otherwise the load generator, not the server, would
/// spend most of a login's CPU.
/// </summary>
internal sealed class ScramClient
{
    private const string Gs2Header = "n,,";

    private readonly HashAlgorithmName _hash;
    private readonly string _password;
    private readonly string _clientFirstBare;
    private readonly string _clientNonce;
    private byte[]? _expectedServerSignature;

    public ScramClient(HashAlgorithmName hash, string username, string password)
    {
        _hash = hash;
        _password = password;
        _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _clientFirstBare = $"n={username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_clientNonce}";
    }

    public static string MechanismName(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA256 ? "SCRAM-SHA-256" : "SCRAM-SHA-1";

    public byte[] ClientFirst() => Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);

    /// <summary>The client-final message for the server-first message, or null when the latter is unusable.</summary>
    public byte[]? ClientFinal(ReadOnlySpan<byte> serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        string? nonce = null, salt = null;
        var iterations = 0;
        foreach (var part in serverFirst.Split(','))
        {
            if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = part[2..];
            }
            else if (part.StartsWith("s=", StringComparison.Ordinal))
            {
                salt = part[2..];
            }
            else if (part.StartsWith("i=", StringComparison.Ordinal))
            {
                _ = int.TryParse(part.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out iterations);
            }
        }

        if (nonce is null || salt is null || iterations < 1 || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            return null;
        }

        var keys = ScramKeyCache.Get(_hash, _password, salt, iterations);
        var withoutProof = "c=" + Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header)) + ",r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        var signature = Hmac(keys.StoredKey, authMessage);
        var proof = new byte[signature.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(keys.ClientKey[i] ^ signature[i]);
        }

        _expectedServerSignature = Hmac(keys.ServerKey, authMessage);
        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    /// <summary>Whether the server-final message ("v=...") proves the server knew the password.</summary>
    public bool VerifyServerFinal(ReadOnlySpan<byte> serverFinal)
    {
        if (_expectedServerSignature is null || !serverFinal.StartsWith("v="u8))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[64];
        return Convert.TryFromBase64String(Encoding.ASCII.GetString(serverFinal[2..]), decoded, out var length)
            && decoded[..length].SequenceEqual(_expectedServerSignature);
    }

    private byte[] Hmac(byte[] key, byte[] data) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);
}
