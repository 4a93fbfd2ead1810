using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Roster items and the per-owner roster version that every change bumps in the same transaction.</summary>
internal sealed class PostgresRosterStore(PostgresWriter writer, PostgresReader reader) : IRosterStore
{
    private const string ItemColumns = "contact, name, groups, state, approved, in_roster";

    private const string SelectItems = $"SELECT {ItemColumns} FROM roster_items WHERE owner = $1 ORDER BY contact";

    private const string SelectItem = $"SELECT {ItemColumns} FROM roster_items WHERE owner = $1 AND contact = $2";

    private const string SelectVersion = "SELECT COALESCE((SELECT version FROM roster_versions WHERE owner = $1), 0)";

    private const string SelectOwners = "SELECT owner FROM roster_items WHERE contact = $1 ORDER BY owner";

    private const string UpsertItem = $"""
        INSERT INTO roster_items ({ItemColumns}, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (owner, contact) DO UPDATE SET
            name = excluded.name, groups = excluded.groups, state = excluded.state,
            approved = excluded.approved, in_roster = excluded.in_roster
        """;

    private const string BumpVersion = """
        INSERT INTO roster_versions (owner, version) VALUES ($1, 1)
        ON CONFLICT (owner) DO UPDATE SET version = roster_versions.version + 1
        RETURNING version
        """;

    // The version moves only when an item was deleted; otherwise the stored one is the answer.
    private const string DeleteItem = """
        WITH removed AS (DELETE FROM roster_items WHERE owner = $1 AND contact = $2 RETURNING 1),
        bumped AS (
            INSERT INTO roster_versions (owner, version) SELECT $1, 1 WHERE EXISTS (SELECT 1 FROM removed)
            ON CONFLICT (owner) DO UPDATE SET version = roster_versions.version + 1
            RETURNING version)
        SELECT COALESCE((SELECT version FROM bumped), (SELECT version FROM roster_versions WHERE owner = $1), 0)
        """;

    public Task<(IReadOnlyList<RosterItem> Items, long Version)> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();

        // Items and version from one snapshot: a client must never cache items under a version they do not match.
        return reader.SnapshotAsync<(IReadOnlyList<RosterItem>, long)>(
            async (connection, transaction) =>
            {
                var items = await PostgresReader.ListAsync(connection, transaction, new(SelectItems, key), Read, cancellationToken).ConfigureAwait(false);
                var version = (long)(await PostgresReader.ScalarAsync(connection, transaction, new(SelectVersion, key), cancellationToken).ConfigureAwait(false))!;
                return (items, version);
            },
            cancellationToken);
    }

    public async Task<RosterItem?> GetItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        var items = await reader.ListAsync(new(SelectItem, owner.Bare.ToString(), contact.ToString()), Read, cancellationToken).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    public Task<long> SetItemAsync(Jid owner, RosterItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(item);
        var key = owner.Bare.ToString();
        return writer.WriteAsync(
            [
                new(UpsertItem, item.Contact.ToString(), item.Name, RosterGroupsColumn.Encode(item.Groups),
                    SubscriptionStateColumn.ToText(item.State), item.Approved, item.InRoster, key),
                PostgresStatement.Query(BumpVersion, key),
            ],
            static r => (long)r[1].Scalar!,
            cancellationToken);
    }

    public Task<long> RemoveItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        return writer.WriteAsync(
            [PostgresStatement.Query(DeleteItem, owner.Bare.ToString(), contact.ToString())],
            static r => (long)r[0].Scalar!,
            cancellationToken);
    }

    public async Task<IReadOnlyList<Jid>> OwnersOfContactAsync(Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return await reader.ListAsync(new(SelectOwners, contact.ToString()), static r => Jid.Parse(r.GetString(0)), cancellationToken)
            .ConfigureAwait(false);
    }

    private static RosterItem Read(NpgsqlDataReader r) => new(
        Jid.Parse(r.GetString(0)),
        r.IsDBNull(1) ? null : r.GetString(1),
        RosterGroupsColumn.Decode(r.IsDBNull(2) ? null : r.GetString(2)),
        SubscriptionStateColumn.Parse(r.GetString(3)),
        r.GetBoolean(4),
        r.GetBoolean(5));
}
