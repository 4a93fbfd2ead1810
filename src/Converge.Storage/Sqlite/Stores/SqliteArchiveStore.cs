using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// The XEP-0313 message archive. Appends complete after the grouped commit that holds them; ids
/// are the row ids in <see cref="ArchiveId"/> form. The store hands them out itself, before the commit
/// (<see cref="Stage"/>), so that a delivered message carries the stanza-id its archived copy will have;
/// this process is the only one that appends, and the counter starts above every id ever used
/// (<c>sqlite_sequence</c>). Timestamps are kept to the millisecond.
/// </summary>
internal sealed class SqliteArchiveStore(SqliteWriter writer, SqliteReaderPool readers, long lastId) : IArchiveStore
{
    // An hour: long enough for any client's resend after a reconnect, short enough that a client that
    // numbers its stanzas from 1 in every session does not lose tomorrow's messages as duplicates.
    private const long StanzaIdKeyWindowMs = 3_600_000;

    // A message's stamp is taken before the allocation lock, so two messages to one owner arriving
    // together can take their ids in the other order by a few milliseconds. Within this much the later
    // id gets the earlier one's stamp (the receipt order is the lock's order), so the owner's stamps keep
    // growing with the ids and its pages keep walking (owner, stamp, id). A clock stepped back a second or more
    // is kept as it is, and that owner's pages sort by id instead.
    private const long ReceiptSkewMs = 1_000;

    // Ids and the order of the queued inserts agree (held only to take a number and queue): ids then
    // grow with the stamps, which keeps pages on the (owner, stamp, id) walk.
    private readonly Lock _allocation = new();
    private long _lastId = lastId;
    private long _lastStamp;

    // Deletes run as writes of at most this many rows each: a large delete must not hold the single
    // writer, and with it every message waiting to be stored, for seconds.
    internal const int DeleteChunk = 1000;

    // The NOT EXISTS walks archive_messages_by_origin (partial: only rows with a key) - one probe.
    private const string Insert = """
        INSERT INTO archive_messages (id, owner, with_jid, stamp, outgoing, thread, xml, origin_key)
        SELECT $id, $owner, $with, $stamp, $outgoing, $thread, $xml, $origin
        WHERE $origin IS NULL OR NOT EXISTS (
            SELECT 1 FROM archive_messages
            WHERE owner = $owner AND origin_key = $origin AND with_jid = $with AND outgoing = $outgoing AND stamp >= $since)
        """;

    // Insert's parameters by position: SQLite numbers named parameters in the order they first appear.
    private const int InsertId = 1, InsertOwner = 2, InsertWith = 3, InsertStamp = 4, InsertOutgoing = 5, InsertThread = 6,
        InsertXml = 7, InsertOrigin = 8, InsertSince = 9;

    internal const string SelectLastId = """
        SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'archive_messages'), 0), COALESCE((SELECT MAX(id) FROM archive_messages), 0))
        """;

    private const string SelectAnchor = "SELECT stamp FROM archive_messages WHERE id = $id AND owner = $owner";

    // NULL (no archive yet) counts as in order.
    private const string SelectStampsInOrder = "SELECT stamps_in_order FROM archive_owners WHERE owner = $owner";

    private const string DeleteAllChunk =
        "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE owner = $owner LIMIT $chunk)";

    private const string DeleteOlderChunk = """
        DELETE FROM archive_messages
        WHERE id IN (SELECT id FROM archive_messages WHERE owner = $owner AND stamp < $before LIMIT $chunk)
        """;

    // Walks the owners in order and each owner's old rows through (owner, stamp): no full scan, and
    // the next chunk resumes at the last owner seen.
    internal const string SelectPrunable = """
        SELECT o.owner, m.id FROM archive_owners o
        JOIN archive_messages m ON m.owner = o.owner AND m.stamp < $before
        WHERE o.owner >= $from AND o.messages > 0
        ORDER BY o.owner
        LIMIT $chunk
        """;

    private const string DeleteById = "DELETE FROM archive_messages WHERE id = $id";

    private const string SelectBytes = "SELECT COALESCE((SELECT bytes FROM archive_owners WHERE owner = $owner), 0)";

    // The oldest rows whose removal brings the owner under the quota: each row whose older rows alone do
    // not yet cover the excess goes. A chunk at a time, so one trim never holds the writer for long.
    private const string DeleteOverQuotaChunk = """
        WITH excess AS (SELECT bytes - $max AS over FROM archive_owners WHERE owner = $owner AND bytes > $max),
        oldest AS (
            SELECT id, COALESCE(SUM(length(CAST(xml AS BLOB))) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS older
            FROM (SELECT id, xml FROM archive_messages WHERE owner = $owner AND EXISTS (SELECT 1 FROM excess) ORDER BY id LIMIT $chunk))
        DELETE FROM archive_messages WHERE id IN (SELECT id FROM oldest, excess WHERE oldest.older < excess.over)
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
        var normalized = Normalize(entry);
        lock (_allocation)
        {
            var row = Allocate(normalized);
            return new(row.Message, writer.WriteAsync(static (s, r) => Store(s, r), row, CancellationToken.None));
        }
    }

    /// <summary>The next id, and a stamp no lower than the last one less than <see cref="ReceiptSkewMs"/> above it; called under the allocation lock.</summary>
    private ArchiveRow Allocate(ArchiveEntry entry)
    {
        var stamp = entry.Timestamp.ToUnixTimeMilliseconds();
        if (stamp < _lastStamp && _lastStamp - stamp < ReceiptSkewMs)
        {
            entry = entry with { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(_lastStamp) };
        }

        _lastStamp = Math.Max(_lastStamp, stamp);
        return ArchiveRow.For(++_lastId, entry);
    }

    public Task<IReadOnlyList<ArchivedMessage>> AppendAsync(IReadOnlyList<ArchiveEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ArchivedMessage>>([]);
        }

        var normalized = new ArchiveEntry[entries.Count];
        for (var i = 0; i < normalized.Length; i++)
        {
            normalized[i] = Normalize(entries[i]);
        }

        // One write operation, so one savepoint: all of them are stored or none.
        lock (_allocation)
        {
            var rows = Array.ConvertAll(normalized, Allocate);
            return writer.WriteAsync<ArchiveRow[], IReadOnlyList<ArchivedMessage>>(
                static (s, batch) => Array.ConvertAll(batch, r => Store(s, r)),
                rows,
                cancellationToken);
        }
    }

    public Task<ArchivePage> QueryAsync(ArchiveQuery query, CancellationToken cancellationToken = default) =>
        readers.ReadAsync(static (s, request) => Query(s, request), ArchiveRequest.From(query), cancellationToken);

    public async Task<int> DeleteAsync(Jid owner, DateTimeOffset? before, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var scope = (Owner: owner.Bare.ToString(), Before: before?.ToUnixTimeMilliseconds());
        var total = 0;
        int deleted;
        do
        {
            deleted = await writer.WriteAsync(
                static (s, scope) => scope.Before is { } stamp
                    ? s.Command(DeleteOlderChunk).Bind("$owner", scope.Owner).Bind("$before", stamp).Bind("$chunk", DeleteChunk).ExecuteNonQuery()
                    : s.Command(DeleteAllChunk).Bind("$owner", scope.Owner).Bind("$chunk", DeleteChunk).ExecuteNonQuery(),
                scope,
                cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == DeleteChunk);

        return total;
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var cursor = (From: string.Empty, Before: before.ToUnixTimeMilliseconds());
        var total = 0;
        int deleted;
        do
        {
            (deleted, var lastOwner) = await writer.WriteAsync(
                static (s, cursor) => PruneChunk(s, cursor.From, cursor.Before),
                cursor,
                cancellationToken).ConfigureAwait(false);
            total += deleted;
            cursor.From = lastOwner;
        }
        while (deleted == DeleteChunk);

        return total;
    }

    public Task<long> BytesAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(
            static (s, owner) => Convert.ToInt64(s.Command(SelectBytes).Bind("$owner", owner).ExecuteScalar(), CultureInfo.InvariantCulture),
            owner.Bare.ToString(),
            cancellationToken);
    }

    public async Task<int> TrimToQuotaAsync(Jid owner, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var scope = (Owner: owner.Bare.ToString(), Max: maxBytes);
        var total = 0;
        int deleted;
        do
        {
            deleted = await writer.WriteAsync(
                static (s, scope) => s.Command(DeleteOverQuotaChunk).Bind("$owner", scope.Owner).Bind("$max", scope.Max).Bind("$chunk", DeleteChunk).ExecuteNonQuery(),
                scope,
                cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == DeleteChunk);

        return total;
    }

    public Task<ArchivePreferences> GetPreferencesAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(static (s, owner) => ArchivePreferenceRows.Read(s, owner), owner.Bare.ToString(), cancellationToken);
    }

    public Task SetPreferencesAsync(Jid owner, ArchivePreferences preferences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArchivePreferenceRows.Validate(preferences);
        return writer.WriteAsync(
            static (s, change) =>
            {
                ArchivePreferenceRows.Write(s, change.Owner, change.Preferences);
                return true;
            },
            (Owner: owner.Bare.ToString(), Preferences: preferences),
            cancellationToken);
    }

    /// <summary>Validates and brings an entry to what is stored, so the caller gets back what a query will return.</summary>
    internal static ArchiveEntry Normalize(ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Owner);
        ArgumentNullException.ThrowIfNull(entry.With);
        ArgumentNullException.ThrowIfNull(entry.StanzaXml);
        return entry with
        {
            Owner = entry.Owner.Bare,
            With = entry.With.Bare,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(entry.Timestamp.ToUnixTimeMilliseconds()),
        };
    }

    private static ArchivedMessage Store(SqliteSession session, ArchiveRow row)
    {
        // Runs for every archived row: bound by position through the C API, no boxing, no reader, and
        // the stanza encoded into the session's reused buffer (see SqliteRawStatement).
        var (id, stamp, message) = row;
        session.Raw(Insert)
            .Bind(InsertId, id)
            .Bind(InsertOwner, message.Owner.ToString())
            .Bind(InsertWith, message.With.ToString())
            .Bind(InsertStamp, stamp)
            .Bind(InsertOutgoing, message.Outgoing)
            .Bind(InsertThread, message.Thread)
            .Bind(InsertXml, message.StanzaXml)
            .Bind(InsertOrigin, message.OriginKey)
            .Bind(InsertSince, message.OriginKey is ['o', ':', ..] ? 0 : stamp - StanzaIdKeyWindowMs)
            .Run();
        return message;
    }

    private static ArchivePage Query(SqliteSession session, ArchiveRequest request)
    {
        // Anchors, page and count from one snapshot, so the count agrees with the page.
        session.Execute("BEGIN");
        var (after, afterStamp) = request.After is null ? default : Anchor(session, request.Owner, request.After);
        var (before, beforeStamp) = request.Before is null ? default : Anchor(session, request.Owner, request.Before);
        var shape = request.Shape;
        if (session.Command(SelectStampsInOrder).Bind("$owner", request.Owner.ToString()).ExecuteScalar() is not 0L)
        {
            shape |= ArchiveQueryShape.Chronological;
        }

        var bounds = new ArchiveIdBounds(after, afterStamp, before, beforeStamp);
        var messages = new List<ArchivedMessage>();
        using (var reader = request.Bind(session.Command(ArchiveQuerySql.Page(shape)), shape, bounds)
            .Bind("$limit", request.Limit)
            .ExecuteReader())
        {
            while (reader.Read())
            {
                messages.Add(Read(reader, request));
            }
        }

        var count = Convert.ToInt32(
            request.Bind(session.Command(ArchiveQuerySql.Count(shape)), shape, bounds).ExecuteScalar(), CultureInfo.InvariantCulture);
        session.Execute("COMMIT");

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

        return new ArchivePage(messages, complete, count);
    }

    /// <summary>The anchor's id and stamp; a chronological page continues from the pair.</summary>
    private static (long Id, long Stamp) Anchor(SqliteSession session, Jid owner, string text)
    {
        if (!ArchiveId.TryParse(text, out var id)
            || session.Command(SelectAnchor).Bind("$id", id).Bind("$owner", owner.ToString()).ExecuteScalar() is not long stamp)
        {
            throw new KeyNotFoundException($"No message with the id '{text}' is in the archive of {owner}.");
        }

        return (id, stamp);
    }

    private static ArchivedMessage Read(SqliteDataReader reader, ArchiveRequest request)
    {
        return new ArchivedMessage(
            ArchiveId.Format(reader.GetInt64(0)),
            request.Owner,

            // With a With filter every row holds that JID: no need to parse it again.
            request.With ?? Jid.Parse(reader.GetString(1)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.GetBoolean(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetString(5));
    }

    private static (int Deleted, string LastOwner) PruneChunk(SqliteSession session, string from, long before)
    {
        var rows = new List<(string Owner, long Id)>(DeleteChunk);
        using (var reader = session.Command(SelectPrunable).Bind("$from", from).Bind("$before", before).Bind("$chunk", DeleteChunk).ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        var delete = session.Command(DeleteById);
        foreach (var (_, id) in rows)
        {
            delete.Bind("$id", id).ExecuteNonQuery();
        }

        return (rows.Count, rows.Count == 0 ? from : rows[^1].Owner);
    }
}
