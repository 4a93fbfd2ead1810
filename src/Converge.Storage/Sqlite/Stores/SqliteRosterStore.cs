using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>Roster items and the per-owner roster version that every change bumps in the same transaction.</summary>
internal sealed class SqliteRosterStore(SqliteWriter writer, SqliteReaderPool readers) : IRosterStore
{
    private const string SelectItems =
        "SELECT contact, name, groups, state, approved, in_roster FROM roster_items WHERE owner = $owner ORDER BY contact";

    private const string SelectItem =
        "SELECT contact, name, groups, state, approved, in_roster FROM roster_items WHERE owner = $owner AND contact = $contact";

    private const string SelectVersion = "SELECT COALESCE((SELECT version FROM roster_versions WHERE owner = $owner), 0)";

    private const string SelectOwners = "SELECT owner FROM roster_items WHERE contact = $contact ORDER BY owner";

    private const string UpsertItem = """
        INSERT INTO roster_items (owner, contact, name, groups, state, approved, in_roster)
        VALUES ($owner, $contact, $name, $groups, $state, $approved, $in_roster)
        ON CONFLICT (owner, contact) DO UPDATE SET
            name = excluded.name, groups = excluded.groups, state = excluded.state,
            approved = excluded.approved, in_roster = excluded.in_roster
        """;

    private const string DeleteItem = "DELETE FROM roster_items WHERE owner = $owner AND contact = $contact";

    private const string BumpVersion = """
        INSERT INTO roster_versions (owner, version) VALUES ($owner, 1)
        ON CONFLICT (owner) DO UPDATE SET version = version + 1
        """;

    public Task<(IReadOnlyList<RosterItem> Items, long Version)> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(static (s, owner) => Get(s, owner), owner.Bare.ToString(), cancellationToken);
    }

    public Task<RosterItem?> GetItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        return readers.ReadAsync(
            static (s, key) =>
            {
                using var reader = s.Command(SelectItem).Bind("$owner", key.Owner).Bind("$contact", key.Contact).ExecuteReader();
                return reader.Read() ? RosterRow.Read(reader) : null;
            },
            (Owner: owner.Bare.ToString(), Contact: contact.ToString()),
            cancellationToken);
    }

    public Task<long> SetItemAsync(Jid owner, RosterItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(item);
        return writer.WriteAsync(
            static (s, change) =>
            {
                s.Command(UpsertItem)
                    .Bind("$owner", change.Owner)
                    .Bind("$contact", change.Item.Contact.ToString())
                    .Bind("$name", change.Item.Name)
                    .Bind("$groups", RosterGroupsColumn.Encode(change.Item.Groups))
                    .Bind("$state", SubscriptionStateColumn.ToText(change.Item.State))
                    .Bind("$approved", change.Item.Approved)
                    .Bind("$in_roster", change.Item.InRoster)
                    .ExecuteNonQuery();
                return Bump(s, change.Owner);
            },
            (Owner: owner.Bare.ToString(), Item: item),
            cancellationToken);
    }

    public Task<long> RemoveItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        return writer.WriteAsync(
            static (s, key) =>
            {
                var removed = s.Command(DeleteItem).Bind("$owner", key.Owner).Bind("$contact", key.Contact).ExecuteNonQuery();
                return removed > 0 ? Bump(s, key.Owner) : Version(s, key.Owner);
            },
            (Owner: owner.Bare.ToString(), Contact: contact.ToString()),
            cancellationToken);
    }

    public Task<IReadOnlyList<Jid>> OwnersOfContactAsync(Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return readers.ReadAsync<string, IReadOnlyList<Jid>>(
            static (s, contact) =>
            {
                using var reader = s.Command(SelectOwners).Bind("$contact", contact).ExecuteReader();
                var owners = new List<Jid>();
                while (reader.Read())
                {
                    owners.Add(Jid.Parse(reader.GetString(0)));
                }

                return owners;
            },
            contact.ToString(),
            cancellationToken);
    }

    private static (IReadOnlyList<RosterItem> Items, long Version) Get(SqliteSession session, string owner)
    {
        // Items and version in one read transaction: a client must never cache items under a version they do not match.
        session.Execute("BEGIN");
        var items = new List<RosterItem>();
        using (var reader = session.Command(SelectItems).Bind("$owner", owner).ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(RosterRow.Read(reader));
            }
        }

        var version = Version(session, owner);
        session.Execute("COMMIT");
        return (items, version);
    }

    private static long Bump(SqliteSession session, string owner)
    {
        session.Command(BumpVersion).Bind("$owner", owner).ExecuteNonQuery();
        return Version(session, owner);
    }

    private static long Version(SqliteSession session, string owner) =>
        Convert.ToInt64(session.Command(SelectVersion).Bind("$owner", owner).ExecuteScalar(), CultureInfo.InvariantCulture);
}
