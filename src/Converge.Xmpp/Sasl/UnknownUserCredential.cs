using System.Security.Cryptography;
using System.Text;
using Converge.Core.Accounts;

namespace Converge.Xmpp.Sasl;

/// <summary>
/// A stand-in credential for a username that has none, so the exchange runs to the end and fails there
/// exactly like a wrong password: the salt is stable per username (asking twice gives the same answer),
/// yet unpredictable without this process's secret.
/// </summary>
/// <remarks>
/// The secret lives as long as the process: after a restart, or on another node of a cluster, an
/// unknown user's salt changes while a real one's does not. A secret shared through configuration
/// would close that gap.
/// </remarks>
internal static class UnknownUserCredential
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    public static ScramCredential For(ScramHash hash, string username)
    {
        // Derived from the name as accounts are looked up (case-folded like a JID's localpart): asking
        // as "bob" and as "BOB" gives one answer, as it would for a real account - no oracle telling
        // an unknown name from a known one by comparing the salts of its spellings.
        username = Normalize(username);
        var salt = Derive("salt", hash, username, 16);
        var storedKey = Derive("stored-key", hash, username, hash.Length);
        var serverKey = Derive("server-key", hash, username, hash.Length);
        return new ScramCredential(hash.Name, salt, ScramCredentials.DefaultIterations, storedKey, serverKey);
    }

    internal static string Normalize(string username) =>
        Converge.Core.Addressing.Jid.TryParse(username + "@unknown.invalid", out var jid) && jid.Local is { } local
            ? local
            : username.ToLowerInvariant();

    private static byte[] Derive(string purpose, ScramHash hash, string username, int length) =>
        HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes($"{purpose}\0{hash.Name}\0{username}"))[..length];
}
