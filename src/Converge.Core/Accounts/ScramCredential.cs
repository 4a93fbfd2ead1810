namespace Converge.Core.Accounts;

/// <summary>
/// What the server keeps instead of a password (RFC 5802 §3): salt, iteration count,
/// StoredKey and ServerKey for one hash function. Enough to verify a SCRAM exchange,
/// not enough to recover or replay the password.
/// </summary>
/// <param name="Hash">"SHA-1" or "SHA-256".</param>
public sealed record ScramCredential(string Hash, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);
