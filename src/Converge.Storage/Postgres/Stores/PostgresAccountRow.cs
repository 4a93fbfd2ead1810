using Converge.Core.Accounts;

namespace Converge.Storage.Postgres.Stores;

/// <summary>One row of accounts LEFT JOIN scram_credentials, keyed by column 0 (null AccountJid: no account joined).</summary>
internal sealed record PostgresAccountRow(
    string Key, string? AccountJid, string? Msisdn, string? Email, bool Cpm, bool RoamingCpm, ScramCredential? Credential, bool Locked);
