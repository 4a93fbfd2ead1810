using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Builds accounts from rows of accounts LEFT JOIN scram_credentials, read in one statement so that
/// an account and its credentials always come from the same snapshot.
/// </summary>
internal static class AccountRows
{
    /// <summary>The account columns; queries put a grouping key (the jid) in column 0 before them.</summary>
    public const string Columns =
        "a.jid, a.msisdn, a.email, a.cpm, a.roaming_cpm, c.hash, c.salt, c.iterations, c.stored_key, c.server_key, a.locked";

    public const string From = "accounts a LEFT JOIN scram_credentials c ON c.jid = a.jid";

    private const int AccountJid = 1;
    private const int Msisdn = 2;
    private const int Email = 3;
    private const int Cpm = 4;
    private const int RoamingCpm = 5;
    private const int Hash = 6;
    private const int Salt = 7;
    private const int Iterations = 8;
    private const int StoredKey = 9;
    private const int ServerKey = 10;
    private const int Locked = 11;

    /// <summary>Reads rows ordered by column 0; returns each key with its account, or null where no account row joined.</summary>
    public static List<(Jid Key, Account? Account)> Read(SqliteDataReader reader)
    {
        var result = new List<(Jid, Account?)>();
        string? key = null;
        Account? account = null;
        List<ScramCredential>? credentials = null;
        while (reader.Read())
        {
            var rowKey = reader.GetString(0);
            if (!string.Equals(rowKey, key, StringComparison.Ordinal))
            {
                if (key is not null)
                {
                    result.Add((Jid.Parse(key), account));
                }

                key = rowKey;
                credentials = [];
                account = reader.IsDBNull(AccountJid) ? null : ReadAccount(reader, credentials);
            }

            if (account is not null && !reader.IsDBNull(Hash))
            {
                credentials!.Add(new ScramCredential(
                    reader.GetString(Hash),
                    reader.GetFieldValue<byte[]>(Salt),
                    reader.GetInt32(Iterations),
                    reader.GetFieldValue<byte[]>(StoredKey),
                    reader.GetFieldValue<byte[]>(ServerKey)));
            }
        }

        if (key is not null)
        {
            result.Add((Jid.Parse(key), account));
        }

        return result;
    }

    private static Account ReadAccount(SqliteDataReader reader, List<ScramCredential> credentials) => new(
        Jid.Parse(reader.GetString(AccountJid)),
        credentials,
        reader.IsDBNull(Msisdn) ? null : reader.GetString(Msisdn),
        reader.IsDBNull(Email) ? null : reader.GetString(Email),
        reader.GetBoolean(Cpm),
        reader.GetBoolean(RoamingCpm),
        reader.GetBoolean(Locked));
}
