using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// Accounts and their SCRAM credentials. Every change appends to account_changes in the same
/// transaction, so servers and nodes polling the counter see what the CLI or another node did.
/// </summary>
internal sealed class PostgresAccountStore(PostgresWriter writer, PostgresReader reader) : IAccountStore
{
    private const string UniqueViolation = "23505";

    // A sequence value is taken at insert but becomes visible at commit: two processes could commit
    // seq 6 before seq 5, and a poller that read 6 would never see 5. This transaction-scoped lock
    // orders the account changes of all processes (they are rare); it does not block readers. (LOCK
    // TABLE is refused in the implicit transaction of a grouped batch; an advisory lock is not.)
    private const string LockChanges = "SELECT pg_advisory_xact_lock(4400)";

    private const string Insert = """
        WITH created AS (
            INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm, locked) VALUES ($1, $2, $3, $4, $5, $11)
            ON CONFLICT (jid) DO NOTHING RETURNING jid),
        credentials AS (
            INSERT INTO scram_credentials (jid, hash, salt, iterations, stored_key, server_key)
            SELECT created.jid, c.hash, c.salt, c.iterations, c.stored_key, c.server_key
            FROM created, unnest($6::text[], $7::bytea[], $8::integer[], $9::bytea[], $10::bytea[])
                AS c (hash, salt, iterations, stored_key, server_key)),
        change AS (INSERT INTO account_changes (jid) SELECT jid FROM created)
        SELECT count(*) FROM created
        """;

    private const string Update =
        "UPDATE accounts SET msisdn = $2, email = $3, cpm = $4, roaming_cpm = $5, locked = $6 WHERE jid = $1 RETURNING jid";

    private const string DeleteCredentials = "DELETE FROM scram_credentials WHERE jid = $1";

    private const string InsertCredentials = """
        INSERT INTO scram_credentials (jid, hash, salt, iterations, stored_key, server_key)
        SELECT $1, c.hash, c.salt, c.iterations, c.stored_key, c.server_key
        FROM unnest($2::text[], $3::bytea[], $4::integer[], $5::bytea[], $6::bytea[]) AS c (hash, salt, iterations, stored_key, server_key)
        WHERE EXISTS (SELECT 1 FROM accounts WHERE jid = $1)
        """;

    private const string RecordChangeIfExists =
        "INSERT INTO account_changes (jid) SELECT $1 WHERE EXISTS (SELECT 1 FROM accounts WHERE jid = $1)";

    private const string Delete = """
        WITH removed AS (DELETE FROM accounts WHERE jid = $1 RETURNING jid),
        change AS (INSERT INTO account_changes (jid) SELECT jid FROM removed)
        SELECT count(*) FROM removed
        """;

    private const string Columns =
        "a.jid, a.msisdn, a.email, a.cpm, a.roaming_cpm, c.hash, c.salt, c.iterations, c.stored_key, c.server_key, a.locked";

    private const string From = "accounts a LEFT JOIN scram_credentials c ON c.jid = a.jid";

    private const string SelectByJid = $"SELECT a.jid, {Columns} FROM {From} WHERE a.jid = $1 ORDER BY c.hash";

    private const string SelectByMsisdn = $"SELECT a.jid, {Columns} FROM {From} WHERE a.msisdn = $1 ORDER BY c.hash";

    private const string SelectAll = $"SELECT a.jid, {Columns} FROM {From} ORDER BY a.jid, c.hash";

    private const string SelectChangeCounter = "SELECT COALESCE(MAX(seq), 0) FROM account_changes";

    private const string SelectChangesSince = $"""
        SELECT ch.jid, {Columns}
        FROM (SELECT DISTINCT jid FROM account_changes WHERE seq > $1) ch
        LEFT JOIN accounts a ON a.jid = ch.jid
        LEFT JOIN scram_credentials c ON c.jid = a.jid
        ORDER BY ch.jid, c.hash
        """;

    // The rows RemoveAsync deletes besides the account itself; credentials go by foreign-key cascade.
    private static readonly string[] OwnedRows =
    [
        "DELETE FROM roster_items WHERE owner = $1",
        "DELETE FROM roster_versions WHERE owner = $1",
        "DELETE FROM offline_messages WHERE owner = $1",
        "DELETE FROM block_list WHERE owner = $1",
        "DELETE FROM vcards WHERE owner = $1",
        "DELETE FROM archive_messages WHERE owner = $1",
        "DELETE FROM archive_preferences WHERE owner = $1",
        "DELETE FROM number_aliases WHERE owner = $1",
        "DELETE FROM thread_bindings WHERE cpm_user = $1",
        "DELETE FROM conversation_activity WHERE cpm_user = $1",
        "DELETE FROM email_message_ids WHERE cpm_user = $1",
        "DELETE FROM email_threads WHERE cpm_user = $1",
        "DELETE FROM pep_items WHERE owner = $1",
        "DELETE FROM pep_nodes WHERE owner = $1",
        "DELETE FROM private_xml WHERE owner = $1",
    ];

    public Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var jid = account.Jid.Bare.ToString();
        var c = account.Credentials;
        return writer.WriteAsync(
            [
                PostgresStatement.Query(LockChanges),
                PostgresStatement.Query(
                    Insert,
                    [jid, account.Msisdn, account.Email, account.CpmEnabled, account.RoamingCpm,
                     c.Select(x => x.Hash).ToArray(), c.Select(x => x.Salt).ToArray(), c.Select(x => x.Iterations).ToArray(),
                     c.Select(x => x.StoredKey).ToArray(), c.Select(x => x.ServerKey).ToArray(), account.Locked]),
            ],
            static r => Convert.ToInt64(r[1].Scalar, System.Globalization.CultureInfo.InvariantCulture) > 0,
            cancellationToken,
            e => Explain(e, account));
    }

    public Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var jid = account.Jid.Bare.ToString();
        var c = account.Credentials;
        return writer.WriteAsync(
            [
                PostgresStatement.Query(LockChanges),
                PostgresStatement.Query(Update, jid, account.Msisdn, account.Email, account.CpmEnabled, account.RoamingCpm, account.Locked),
                new(DeleteCredentials, jid),
                new(InsertCredentials,
                    [jid, c.Select(x => x.Hash).ToArray(), c.Select(x => x.Salt).ToArray(), c.Select(x => x.Iterations).ToArray(),
                     c.Select(x => x.StoredKey).ToArray(), c.Select(x => x.ServerKey).ToArray()]),
                new(RecordChangeIfExists, jid),
            ],
            static r => r[1].Rows.Count > 0,
            cancellationToken,
            e => Explain(e, account));
    }

    public Task<bool> RemoveAsync(Jid bareJid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bareJid);
        var jid = bareJid.Bare.ToString();
        var statements = new List<PostgresStatement> { PostgresStatement.Query(LockChanges), PostgresStatement.Query(Delete, jid) };
        statements.AddRange(OwnedRows.Select(sql => new PostgresStatement(sql, jid)));
        return writer.WriteAsync(
            statements,
            static r => Convert.ToInt64(r[1].Scalar, System.Globalization.CultureInfo.InvariantCulture) > 0,
            cancellationToken);
    }

    public async Task<Account?> FindAsync(Jid bareJid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bareJid);
        var found = await QueryAsync(new(SelectByJid, bareJid.Bare.ToString()), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0].Account;
    }

    public async Task<Account?> FindByMsisdnAsync(string msisdn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(msisdn);
        var found = await QueryAsync(new(SelectByMsisdn, msisdn), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0].Account;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await QueryAsync(new(SelectAll), cancellationToken).ConfigureAwait(false);
        return all.ConvertAll(row => row.Account!);
    }

    public async Task<long> GetChangeCounterAsync(CancellationToken cancellationToken = default) =>
        Convert.ToInt64(await reader.ScalarAsync(new(SelectChangeCounter), cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<(Jid Jid, Account? Account)>> ChangesSinceAsync(long counter, CancellationToken cancellationToken = default) =>
        await QueryAsync(new(SelectChangesSince, counter), cancellationToken).ConfigureAwait(false);

    private async Task<List<(Jid Key, Account? Account)>> QueryAsync(PostgresStatement statement, CancellationToken cancellationToken)
    {
        var rows = await reader.ListAsync(statement, ReadRow, cancellationToken).ConfigureAwait(false);
        return PostgresAccountRows.Group(rows);
    }

    private static PostgresAccountRow ReadRow(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        !r.IsDBNull(4) && r.GetBoolean(4),
        !r.IsDBNull(5) && r.GetBoolean(5),
        r.IsDBNull(6)
            ? null
            : new ScramCredential(r.GetString(6), r.GetFieldValue<byte[]>(7), r.GetInt32(8), r.GetFieldValue<byte[]>(9), r.GetFieldValue<byte[]>(10)),
        !r.IsDBNull(11) && r.GetBoolean(11));

    private static InvalidOperationException? Explain(PostgresException e, Account account) =>
        e.SqlState == UniqueViolation && e.ConstraintName == "accounts_msisdn_key"
            ? new InvalidOperationException($"The MSISDN {account.Msisdn} already belongs to another account; {account.Jid} was not stored.", e)
            : null;
}
