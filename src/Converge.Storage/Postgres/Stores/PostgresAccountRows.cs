using Converge.Core.Accounts;
using Converge.Core.Addressing;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Builds accounts from joined rows read in one statement, so an account and its credentials come from one snapshot.</summary>
internal static class PostgresAccountRows
{
    /// <summary>Rows ordered by key; returns each key with its account, or null where no account row joined.</summary>
    public static List<(Jid Key, Account? Account)> Group(List<PostgresAccountRow> rows)
    {
        var result = new List<(Jid, Account?)>();
        var i = 0;
        while (i < rows.Count)
        {
            var first = rows[i];
            var credentials = new List<ScramCredential>();
            for (; i < rows.Count && string.Equals(rows[i].Key, first.Key, StringComparison.Ordinal); i++)
            {
                if (rows[i].Credential is { } credential)
                {
                    credentials.Add(credential);
                }
            }

            var account = first.AccountJid is null
                ? null
                : new Account(Jid.Parse(first.AccountJid), credentials, first.Msisdn, first.Email, first.Cpm, first.RoamingCpm, first.Locked);
            result.Add((Jid.Parse(first.Key), account));
        }

        return result;
    }
}
