using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// The XEP-0313 message archive. Appends complete after the grouped commit that holds them; ids are
/// the sequence values in <see cref="ArchiveId"/> form - the same text SQLite gives the same row, so
/// an archive migrated between providers keeps its stanza-ids. Timestamps are kept to the millisecond.
/// </summary>
internal sealed class PostgresArchiveStore(PostgresWriter writer, PostgresReader reader) : IArchiveStore
{
    // Deletes run as writes of at most this many rows each, so a large delete does not hold up the
    // grouped commits of messages waiting behind it.
    internal const int DeleteChunk = 1000;

    private const string Insert = """
        INSERT INTO archive_messages (owner, with_jid, stamp, outgoing, thread, xml) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
        """;

    private const string SelectAnchor = "SELECT 1 FROM archive_messages WHERE id = $1 AND owner = $2";

    private const string DeleteAllChunk =
        "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE owner = $1 LIMIT $2)";

    private const string DeleteOlderChunk =
        "DELETE FROM archive_messages WHERE id IN (SELECT id FROM archive_messages WHERE owner = $1 AND stamp < $3 LIMIT $2)";

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

    public async Task<ArchivedMessage> AppendAsync(ArchiveEntry entry, CancellationToken cancellationToken = default) =>
        (await AppendAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    public Task<IReadOnlyList<ArchivedMessage>> AppendAsync(IReadOnlyList<ArchiveEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ArchivedMessage>>([]);
        }

        var normalized = entries.Select(SqliteArchiveStore.Normalize).ToArray();
        var statements = Array.ConvertAll(normalized, e => PostgresStatement.Query(
            Insert, e.Owner.ToString(), e.With.ToString(), e.Timestamp.ToUnixTimeMilliseconds(), e.Outgoing, e.Thread, e.StanzaXml));

        // One write operation: all of them are stored or none.
        return writer.WriteAsync<IReadOnlyList<ArchivedMessage>>(
            statements,
            results =>
            {
                var stored = new ArchivedMessage[normalized.Length];
                for (var i = 0; i < stored.Length; i++)
                {
                    var e = normalized[i];
                    stored[i] = new ArchivedMessage(ArchiveId.Format((long)results[i].Scalar!), e.Owner, e.With, e.Timestamp, e.Outgoing, e.Thread, e.StanzaXml);
                }

                return stored;
            },
            cancellationToken);
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
