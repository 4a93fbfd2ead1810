using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Converge.Bench.Xmpp;

/// <summary>The client's SCRAM keys derived from a password, its salt and iteration count.</summary>
internal sealed record ScramKeys(byte[] ClientKey, byte[] StoredKey, byte[] ServerKey)
{
    public static ScramKeys Derive(HashAlgorithmName hash, string password, byte[] salt, int iterations)
    {
        var length = hash == HashAlgorithmName.SHA256 ? 32 : 20;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, length);
        byte[] Mac(byte[] key, ReadOnlySpan<byte> data) =>
            hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);
        var clientKey = Mac(salted, "Client Key"u8);
        var storedKey = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(clientKey) : SHA1.HashData(clientKey);
        return new ScramKeys(clientKey, storedKey, Mac(salted, "Server Key"u8));
    }
}

/// <summary>
/// Remembers the PBKDF2 result per (hash, password, salt, iterations), as RFC 5802 §5.1 allows a
/// client to: every login after a user's first costs the load generator a few HMACs only.
/// </summary>
internal static class ScramKeyCache
{
    private static readonly ConcurrentDictionary<(string Hash, string Password, string Salt, int Iterations), ScramKeys> Keys = new();

    public static ScramKeys Get(HashAlgorithmName hash, string password, string saltBase64, int iterations) =>
        Keys.GetOrAdd(
            (hash.Name!, password, saltBase64, iterations),
            static key => ScramKeys.Derive(new HashAlgorithmName(key.Hash), key.Password, Convert.FromBase64String(key.Salt), key.Iterations));
}
