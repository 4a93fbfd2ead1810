using System.Security.Cryptography;
using System.Text;
using Converge.Core.Accounts;

namespace Converge.Xmpp.Sasl;

/// <summary>Turns a password into what the server stores (RFC 5802 §3), and checks a password against it.</summary>
public static class ScramCredentials
{
    public const int DefaultIterations = 4096;

    private const int SaltLength = 16;

    /// <summary>Derives the SCRAM credential for <paramref name="hash"/> ("SHA-1" or "SHA-256").</summary>
    /// <param name="salt">The salt; 16 random bytes when null.</param>
    /// <exception cref="ArgumentException">Unknown hash, empty salt, iterations below 1, or a password SASLprep prohibits.</exception>
    public static ScramCredential Derive(string hash, string password, byte[]? salt = null, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var scramHash = ScramHash.Find(hash) ?? throw new ArgumentException($"Unsupported SCRAM hash '{hash}'.", nameof(hash));
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (salt is { Length: 0 })
        {
            throw new ArgumentException("The salt must not be empty.", nameof(salt));
        }

        var prepared = SaslPrep.Prepare(password)
            ?? throw new ArgumentException("The password contains characters SASLprep prohibits.", nameof(password));
        salt ??= RandomNumberGenerator.GetBytes(SaltLength);
        var (storedKey, serverKey) = Keys(scramHash, prepared, salt, iterations);
        return new ScramCredential(scramHash.Name, salt.ToArray(), iterations, storedKey, serverKey);
    }

    /// <summary>
    /// Whether <paramref name="password"/> is the one <paramref name="credential"/> was derived from
    /// (for PLAIN). Costs one PBKDF2 run at the credential's iteration count; compares in constant time.
    /// </summary>
    public static bool VerifyPassword(ScramCredential credential, string password)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(password);
        var scramHash = ScramHash.Find(credential.Hash);
        var prepared = SaslPrep.Prepare(password);
        if (scramHash is null || prepared is null || credential.Iterations < 1 || credential.Salt.Length == 0)
        {
            return false;
        }

        var (storedKey, _) = Keys(scramHash, prepared, credential.Salt, credential.Iterations);
        return CryptographicOperations.FixedTimeEquals(storedKey, credential.StoredKey);
    }

    private static (byte[] StoredKey, byte[] ServerKey) Keys(ScramHash hash, string preparedPassword, byte[] salt, int iterations)
    {
        var saltedPassword = hash.SaltedPassword(Encoding.UTF8.GetBytes(preparedPassword), salt, iterations);
        try
        {
            var clientKey = hash.Hmac(saltedPassword, "Client Key"u8);
            var storedKey = hash.Hash(clientKey);
            CryptographicOperations.ZeroMemory(clientKey);
            return (storedKey, hash.Hmac(saltedPassword, "Server Key"u8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(saltedPassword);
        }
    }
}
