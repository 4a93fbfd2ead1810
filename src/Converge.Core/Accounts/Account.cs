using Converge.Core.Addressing;

namespace Converge.Core.Accounts;

/// <summary>A subscriber of this provider.</summary>
/// <param name="Jid">The bare JID, e.g. alice@a.example.</param>
/// <param name="Credentials">SCRAM credentials, one per supported hash ("SHA-1", "SHA-256").</param>
/// <param name="Msisdn">The subscriber's number in E.164 form with a leading '+', if any.</param>
/// <param name="Email">The subscriber's email address, if any.</param>
/// <param name="CpmEnabled">Whether the subscriber uses the CPM service (an XMPP client).</param>
/// <param name="RoamingCpm">Whether the network the subscriber roams in supports CPM.</param>
/// <param name="Locked">Locked by an operator: nobody may log in to it (its data stays).</param>
public sealed record Account(
    Jid Jid,
    IReadOnlyList<ScramCredential> Credentials,
    string? Msisdn = null,
    string? Email = null,
    bool CpmEnabled = true,
    bool RoamingCpm = true,
    bool Locked = false)
{
    public ScramCredential? CredentialFor(string hash) =>
        Credentials.FirstOrDefault(c => string.Equals(c.Hash, hash, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether <paramref name="newer"/> takes away what logged-in sessions of this account relied on:
    /// another password (other credentials) or a lock. Sessions authenticated before it must end.
    /// </summary>
    public bool IsRevokedBy(Account newer) =>
        (newer.Locked && !Locked)
        || newer.Credentials.Count != Credentials.Count
        || newer.Credentials.Any(n => CredentialFor(n.Hash) is not { } old
            || !old.Salt.AsSpan().SequenceEqual(n.Salt) || !old.StoredKey.AsSpan().SequenceEqual(n.StoredKey));
}
