using System.Globalization;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Accounts and their SCRAM credentials. Every change appends to account_changes in the same
/// transaction: the counter lives in the file, so a server sees what the CLI did in another process.
/// </summary>
internal sealed class SqliteAccountStore(SqliteWriter writer, SqliteReaderPool readers) : IAccountStore
{
    private const int SqliteConstraintUnique = 2067;

    private const string InsertAccount = """
        INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm, locked) VALUES ($jid, $msisdn, $email, $cpm, $roaming_cpm, $locked)
        ON CONFLICT (jid) DO NOTHING
        """;

    private const string UpdateAccount =
        "UPDATE accounts SET msisdn = $msisdn, email = $email, cpm = $cpm, roaming_cpm = $roaming_cpm, locked = $locked WHERE jid = $jid";

    private const string DeleteAccount = "DELETE FROM accounts WHERE jid = $jid";

    private const string InsertCredential = """
        INSERT INTO scram_credentials (jid, hash, salt, iterations, stored_key, server_key)
        VALUES ($jid, $hash, $salt, $iterations, $stored_key, $server_key)
        """;

    private const string DeleteCredentials = "DELETE FROM scram_credentials WHERE jid = $jid";

    private const string InsertChange = "INSERT INTO account_changes (jid) VALUES ($jid)";

    private const string SelectByJid =
        $"SELECT a.jid, {AccountRows.Columns} FROM {AccountRows.From} WHERE a.jid = $jid ORDER BY c.hash";

    private const string SelectByMsisdn =
        $"SELECT a.jid, {AccountRows.Columns} FROM {AccountRows.From} WHERE a.msisdn = $msisdn ORDER BY c.hash";

    private const string SelectAll =
        $"SELECT a.jid, {AccountRows.Columns} FROM {AccountRows.From} ORDER BY a.jid, c.hash";

    private const string SelectChangeCounter = "SELECT COALESCE(MAX(seq), 0) FROM account_changes";

    private const string SelectChangesSince = $"""
        SELECT ch.jid, {AccountRows.Columns}
        FROM (SELECT DISTINCT jid FROM account_changes WHERE seq > $since) ch
        LEFT JOIN accounts a ON a.jid = ch.jid
        LEFT JOIN scram_credentials c ON c.jid = a.jid
        ORDER BY ch.jid, c.hash
        """;

    // The rows RemoveAsync deletes besides the account itself; credentials go by foreign-key cascade.
    private static readonly string[] OwnedRows =
    [
        "DELETE FROM roster_items WHERE owner = $jid",
        "DELETE FROM roster_versions WHERE owner = $jid",
        "DELETE FROM offline_messages WHERE owner = $jid",
        "DELETE FROM block_list WHERE owner = $jid",
        "DELETE FROM vcards WHERE owner = $jid",
        "DELETE FROM archive_messages WHERE owner = $jid",
        "DELETE FROM archive_preferences WHERE owner = $jid",
        "DELETE FROM number_aliases WHERE owner = $jid",
        "DELETE FROM thread_bindings WHERE cpm_user = $jid",
        "DELETE FROM conversation_activity WHERE cpm_user = $jid",
        "DELETE FROM email_message_ids WHERE cpm_user = $jid",
        "DELETE FROM email_threads WHERE cpm_user = $jid",
        "DELETE FROM pep_items WHERE owner = $jid",
        "DELETE FROM pep_nodes WHERE owner = $jid",
        "DELETE FROM private_xml WHERE owner = $jid",
    ];

    public Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return writer.WriteAsync(static (s, a) => Create(s, a), account, cancellationToken);
    }

    public Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return writer.WriteAsync(static (s, a) => Update(s, a), account, cancellationToken);
    }

    public Task<bool> RemoveAsync(Jid bareJid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bareJid);
        return writer.WriteAsync(static (s, jid) => Remove(s, jid), bareJid.Bare.ToString(), cancellationToken);
    }

    public async Task<Account?> FindAsync(Jid bareJid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bareJid);
        var found = await readers.ReadAsync(
            static (s, jid) => Query(s.Command(SelectByJid).Bind("$jid", jid)),
            bareJid.Bare.ToString(),
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0].Account;
    }

    public async Task<Account?> FindByMsisdnAsync(string msisdn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(msisdn);
        var found = await readers.ReadAsync(
            static (s, number) => Query(s.Command(SelectByMsisdn).Bind("$msisdn", number)),
            msisdn,
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0].Account;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await readers.ReadAsync(
            static (s, _) => Query(s.Command(SelectAll)),
            0,
            cancellationToken).ConfigureAwait(false);
        return all.ConvertAll(row => row.Account!);
    }

    public Task<long> GetChangeCounterAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync(
            static (s, _) => Convert.ToInt64(s.Command(SelectChangeCounter).ExecuteScalar(), CultureInfo.InvariantCulture),
            0,
            cancellationToken);

    public async Task<IReadOnlyList<(Jid Jid, Account? Account)>> ChangesSinceAsync(
        long counter, CancellationToken cancellationToken = default) =>
        await readers.ReadAsync(
            static (s, since) => Query(s.Command(SelectChangesSince).Bind("$since", since)),
            counter,
            cancellationToken).ConfigureAwait(false);

    private static List<(Jid Key, Account? Account)> Query(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return AccountRows.Read(reader);
    }

    private static bool Create(SqliteSession session, Account account)
    {
        var jid = account.Jid.Bare.ToString();
        var inserted = RunGuardingMsisdn(BindAccount(session.Command(InsertAccount), jid, account), account);
        if (inserted == 0)
        {
            return false;
        }

        InsertCredentials(session, jid, account);
        RecordChange(session, jid);
        return true;
    }

    private static bool Update(SqliteSession session, Account account)
    {
        var jid = account.Jid.Bare.ToString();
        var updated = RunGuardingMsisdn(BindAccount(session.Command(UpdateAccount), jid, account), account);
        if (updated == 0)
        {
            return false;
        }

        session.Command(DeleteCredentials).Bind("$jid", jid).ExecuteNonQuery();
        InsertCredentials(session, jid, account);
        RecordChange(session, jid);
        return true;
    }

    private static bool Remove(SqliteSession session, string jid)
    {
        var existed = session.Command(DeleteAccount).Bind("$jid", jid).ExecuteNonQuery() > 0;
        foreach (var sql in OwnedRows)
        {
            session.Command(sql).Bind("$jid", jid).ExecuteNonQuery();
        }

        if (existed)
        {
            RecordChange(session, jid);
        }

        return existed;
    }

    private static SqliteCommand BindAccount(SqliteCommand command, string jid, Account account) =>
        command.Bind("$jid", jid)
            .Bind("$msisdn", account.Msisdn)
            .Bind("$email", account.Email)
            .Bind("$cpm", account.CpmEnabled)
            .Bind("$roaming_cpm", account.RoamingCpm)
            .Bind("$locked", account.Locked);

    private static int RunGuardingMsisdn(SqliteCommand command, Account account)
    {
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            // msisdn is the only UNIQUE column besides the key, and the key conflict is handled in SQL.
            throw new InvalidOperationException(
                $"The MSISDN {account.Msisdn} already belongs to another account; {account.Jid} was not stored.", e);
        }
    }

    private static void InsertCredentials(SqliteSession session, string jid, Account account)
    {
        var command = session.Command(InsertCredential);
        foreach (var credential in account.Credentials)
        {
            command.Bind("$jid", jid)
                .Bind("$hash", credential.Hash)
                .Bind("$salt", credential.Salt)
                .Bind("$iterations", credential.Iterations)
                .Bind("$stored_key", credential.StoredKey)
                .Bind("$server_key", credential.ServerKey)
                .ExecuteNonQuery();
        }
    }

    private static void RecordChange(SqliteSession session, string jid) =>
        session.Command(InsertChange).Bind("$jid", jid).ExecuteNonQuery();
}
