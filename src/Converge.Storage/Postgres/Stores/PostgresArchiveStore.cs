using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// The XEP-0313 message archive. Appends complete after the grouped commit that holds them; ids are
/// in <see cref="ArchiveId"/> form - the same text SQLite gives the same row, so an archive migrated
/// between providers keeps its stanza-ids. As on SQLite the store hands ids out itself, before the
/// commit (<see cref="Stage"/>), so a delivered message carries the stanza-id its archived copy will
/// have: the counter starts above every id ever used (the identity sequence and MAX(id)), and each
/// write moves the sequence up to its highest id, so <c>storage migrate</c> and any other writer that
/// takes ids from the sequence never reuse one. One appending process per database (a cluster needs
/// a block of ids per node). Timestamps are kept to the millisecond.
/// </summary>
internal sealed class PostgresArchiveStore(PostgresWriter writer, PostgresReader reader, long lastId, ClusterArchiveIds? clusterIds = null) : IArchiveStore
{
    // Deletes run as writes of at most this many rows each, so a large delete does not hold up the
    // grouped commits of messages waiting behind it.
    internal const int DeleteChunk = 1000;

    // As SQLite's: an hour covers any client's resend after a reconnect, and a client that numbers
    // its stanzas from 1 every session does not lose tomorrow's messages as duplicates.
    private const long StanzaIdKeyWindowMs = 3_600_000;

    // Ids and the order of the queued inserts agree (held only to take a number and queue), so ids
    // grow with the order of storing.
    private readonly Lock _allocation = new();
    private long _lastId = lastId;

    // The NOT EXISTS walks archive_messages_by_origin (partial: only rows with a key) - one probe.
    // Casts: a null parameter has no type of its own.
    private const string Insert = """
        INSERT INTO archive_messages (id, owner, with_jid, stamp, outgoing, thread, xml, origin_key)
        SELECT $1::bigint, $2::text, $3::text, $4::bigint, $5::boolean, $6::text, $7::text, $8::text
        WHERE $8::text IS NULL OR NOT EXISTS (
            SELECT 1 FROM archive_messages
            WHERE owner = $2::text AND origin_key = $8::text AND with_jid = $3::text AND outgoing = $5::boolean AND stamp >= $9::bigint)
        """;

    // Never moves the sequence back (writes of one group run in queue order, but keep it monotonic
    // whatever happens). setval is not rolled back with a failed group: a gap, never a reuse.
    private const string AdvanceSequence = """
        SELECT setval(pg_get_serial_sequence('archive_messages', 'id'),
            GREATEST($1::bigint, COALESCE(pg_sequence_last_value(pg_get_serial_sequence('archive_messages', 'id')::regclass), 1)))
        """;

    /// <summary>The highest id ever handed out: the sequence's last value or the highest row, whichever is higher.</summary>
    internal const string SelectLastId = """
        SELECT GREATEST(COALESCE(pg_sequence_last_value(pg_get_serial_sequence('archive_messages', 'id')::regclass), 0),
                        COALESCE((SELECT MAX(id) FROM archive_messages), 0))
        """;

    private const string SelectAnchor = "SELECT 1 FROM archive_messages WHERE id = $1 AND owner = $2";

    private const string DeleteAllChunk =
        "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE owner = $1 LIMIT $2)";

    private const string DeleteOlderChunk =
        "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE owner = $1 AND stamp < $3 LIMIT $2)";

    private const string SelectBytes = "SELECT COALESCE((SELECT bytes FROM archive_owner_bytes WHERE owner = $1), 0)";

    // As SQLite's: the oldest rows whose older rows alone do not yet cover the excess, a chunk at a time.
    private const string DeleteOverQuotaChunk = """
        WITH excess AS (SELECT bytes - $2 AS over FROM archive_owner_bytes WHERE owner = $1 AND bytes > $2),
        oldest AS (
            SELECT id, COALESCE(SUM(octet_length(xml)) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS older
            FROM (SELECT id, xml FROM archive_messages WHERE owner = $1 AND EXISTS (SELECT 1 FROM excess) ORDER BY id LIMIT $3) c)
        DELETE FROM archive_messages WHERE id IN (SELECT id FROM oldest, excess WHERE oldest.older < excess.over)
        """;

    private const string PruneChunk = "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE stamp < $1 LIMIT $2)";

    private const string SelectDefault = "SELECT default_mode FROM archive_preferences WHERE owner = $1";

    private const string SelectRules = "SELECT rule, jid FROM archive_preference_jids WHERE owner = $1 ORDER BY seq";

    private const string UpsertDefault = """
        INSERT INTO archive_preferences (owner, default_mode) VALUES ($1, $2)
        ON CONFLICT (owner) DO UPDATE SET default_mode = excluded.default_mode
        """;

    private const string DeleteRules = "DELETE FROM archive_preference_jids WHERE owner = $1";

    private const string InsertRules = """
        INSERT INTO archive_preference_jids (owner, rule, jid)
        SELECT $1, r.rule, r.jid FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS r (rule, jid, n) ORDER BY r.n
        ON CONFLICT DO NOTHING
        """;

    public async Task<ArchivedMessage> AppendAsync(ArchiveEntry entry, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var staged = Stage(entry);
        await staged.Stored.WaitAsync(cancellationToken).ConfigureAwait(false);
        return staged.Message;
    }

    public StagedArchiveMessage Stage(ArchiveEntry entry)
    {
        var normalized = SqliteArchiveStore.Normalize(entry);
        lock (_allocation)
        {
            var row = Allocate(normalized);
            var stored = writer.WriteAsync([Store(row), PostgresStatement.Query(AdvanceSequence, row.Id)], static _ => true, CancellationToken.None);
            return new(row.Message, stored);
        }
    }

    public Task<IReadOnlyList<ArchivedMessage>> AppendAsync(IReadOnlyList<ArchiveEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ArchivedMessage>>([]);
        }

        var normalized = entries.Select(SqliteArchiveStore.Normalize).ToArray();

        // One write operation: all of them are stored or none.
        lock (_allocation)
        {
            var rows = Array.ConvertAll(normalized, Allocate);
            var statements = new List<PostgresStatement>(rows.Length + 1);
            statements.AddRange(rows.Select(Store));
            statements.Add(PostgresStatement.Query(AdvanceSequence, rows[^1].Id));
            IReadOnlyList<ArchivedMessage> messages = Array.ConvertAll(rows, static r => r.Message);
            return writer.WriteAsync(statements, _ => messages, cancellationToken);
        }
    }

    /// <summary>The next id; called under the allocation lock.</summary>
    private ArchiveRow Allocate(ArchiveEntry entry) => ArchiveRow.For(clusterIds?.Next() ?? ++_lastId, entry);

    private static PostgresStatement Store(ArchiveRow row)
    {
        var (id, stamp, message) = row;

        // o: keys (a client's origin-id) de-duplicate for good; i: keys (a stanza id) within the window.
        var since = message.OriginKey is ['o', ':', ..] ? 0 : stamp - StanzaIdKeyWindowMs;
        return new(Insert, id, message.Owner.ToString(), message.With.ToString(), stamp, message.Outgoing, message.Thread, message.StanzaXml, message.OriginKey, since);
    }

    public Task<ArchivePage> QueryAsync(ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        var request = new PostgresArchiveQuery(query);

        // Anchors, page and count from one snapshot, so the count agrees with the page.
        return reader.SnapshotAsync(
            async (connection, transaction) =>
            {
                var after = request.After is null ? 0 : await AnchorAsync(connection, transaction, request.Owner, request.After, cancellationToken).ConfigureAwait(false);
                var before = request.Before is null ? 0 : await AnchorAsync(connection, transaction, request.Owner, request.Before, cancellationToken).ConfigureAwait(false);
                var messages = await PostgresReader.ListAsync(connection, transaction, request.Page(after, before), r => Read(r, request), cancellationToken)
                    .ConfigureAwait(false);
                var count = (long)(await PostgresReader.ScalarAsync(connection, transaction, request.Count(), cancellationToken).ConfigureAwait(false))!;

                var complete = messages.Count < request.Limit;
                if (!complete)
                {
                    messages.RemoveAt(messages.Count - 1);
                }

                // Rows came nearest-the-anchor first; the page is oldest first unless flipped.
                if (request.Backward != request.Flip)
                {
                    messages.Reverse();
                }

                return new ArchivePage(messages, complete, (int)count);
            },
            cancellationToken);
    }

    public async Task<int> DeleteAsync(Jid owner, DateTimeOffset? before, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var statement = before is { } stamp
            ? new PostgresStatement(DeleteOlderChunk, owner.Bare.ToString(), (long)DeleteChunk, stamp.ToUnixTimeMilliseconds())
            : new PostgresStatement(DeleteAllChunk, owner.Bare.ToString(), (long)DeleteChunk);
        return await DeleteInChunksAsync(statement, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        DeleteInChunksAsync(new PostgresStatement(PruneChunk, before.ToUnixTimeMilliseconds(), (long)DeleteChunk), cancellationToken);

    public async Task<long> BytesAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Convert.ToInt64(
            await reader.ScalarAsync(new(SelectBytes, owner.Bare.ToString()), cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<int> TrimToQuotaAsync(Jid owner, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return DeleteInChunksAsync(new PostgresStatement(DeleteOverQuotaChunk, owner.Bare.ToString(), maxBytes, (long)DeleteChunk), cancellationToken);
    }

    public Task<ArchivePreferences> GetPreferencesAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();

        // Both tables from one snapshot: never a default from one change with the lists of another.
        return reader.SnapshotAsync(
            async (connection, transaction) =>
            {
                if (await PostgresReader.ScalarAsync(connection, transaction, new(SelectDefault, key), cancellationToken).ConfigureAwait(false) is not string mode)
                {
                    return ArchivePreferences.Standard;
                }

                var rules = await PostgresReader.ListAsync(
                    connection, transaction, new(SelectRules, key), static r => (Rule: r.GetString(0), Jid: Jid.Parse(r.GetString(1))), cancellationToken)
                    .ConfigureAwait(false);
                return new ArchivePreferences(
                    mode,
                    rules.Where(static r => r.Rule == "always").Select(static r => r.Jid).ToList(),
                    rules.Where(static r => r.Rule != "always").Select(static r => r.Jid).ToList());
            },
            cancellationToken);
    }

    public Task SetPreferencesAsync(Jid owner, ArchivePreferences preferences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArchivePreferenceRows.Validate(preferences);
        var key = owner.Bare.ToString();
        var rules = preferences.Always.Select(static j => (Rule: "always", Jid: j.ToString()))
            .Concat(preferences.Never.Select(static j => (Rule: "never", Jid: j.ToString())))
            .ToArray();
        return writer.WriteAsync(
            [
                new(UpsertDefault, key, preferences.Default),
                new(DeleteRules, key),
                new(InsertRules, key, rules.Select(static r => r.Rule).ToArray(), rules.Select(static r => r.Jid).ToArray()),
            ],
            static _ => true,
            cancellationToken);
    }

    private async Task<int> DeleteInChunksAsync(PostgresStatement chunk, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == DeleteChunk);

        return total;
    }

    private static async Task<long> AnchorAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Jid owner, string text, CancellationToken cancellationToken)
    {
        if (!ArchiveId.TryParse(text, out var id)
            || await PostgresReader.ScalarAsync(connection, transaction, new(SelectAnchor, id, owner.ToString()), cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KeyNotFoundException($"No message with the id '{text}' is in the archive of {owner}.");
        }

        return id;
    }

    private static ArchivedMessage Read(NpgsqlDataReader r, PostgresArchiveQuery request) => new(
        ArchiveId.Format(r.GetInt64(0)),
        request.Owner,
        request.With ?? Jid.Parse(r.GetString(1)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
        r.GetBoolean(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.GetString(5));
}
