using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>PEP nodes (XEP-0163) with their configuration, and the items of the nodes that persist them.</summary>
internal sealed class SqlitePepStore(SqliteWriter writer, SqliteReaderPool readers) : IPepStore
{
    private const string SelectNodes = "SELECT node, access_model, persist_items, max_items FROM pep_nodes WHERE owner = $owner ORDER BY node";

    private const string SelectItems = "SELECT node, item_id, published, payload FROM pep_items WHERE owner = $owner ORDER BY node, published";

    private const string UpsertNode = """
        INSERT INTO pep_nodes (owner, node, access_model, persist_items, max_items) VALUES ($owner, $node, $access, $persist, $max)
        ON CONFLICT (owner, node) DO UPDATE SET access_model = excluded.access_model, persist_items = excluded.persist_items, max_items = excluded.max_items
        """;

    private const string SelectAffiliations = "SELECT node, jid, affiliation FROM pep_affiliations WHERE owner = $owner ORDER BY node, jid";

    private const string UpsertAffiliation = """
        INSERT INTO pep_affiliations (owner, node, jid, affiliation) VALUES ($owner, $node, $jid, $affiliation)
        ON CONFLICT (owner, node, jid) DO UPDATE SET affiliation = excluded.affiliation
        """;

    private const string DeleteAffiliation = "DELETE FROM pep_affiliations WHERE owner = $owner AND node = $node AND jid = $jid";

    private const string DeleteAffiliations = "DELETE FROM pep_affiliations WHERE owner = $owner AND node = $node";

    private const string DeleteNodeRow = "DELETE FROM pep_nodes WHERE owner = $owner AND node = $node";

    private const string DeleteItems = "DELETE FROM pep_items WHERE owner = $owner AND node = $node";

    private const string DeleteItem = "DELETE FROM pep_items WHERE owner = $owner AND node = $node AND item_id = $id";

    private const string UpsertItem = """
        INSERT INTO pep_items (owner, node, item_id, published, payload) VALUES ($owner, $node, $id, $published, $payload)
        ON CONFLICT (owner, node, item_id) DO UPDATE SET published = excluded.published, payload = excluded.payload
        """;

    // Keeps the newest $keep items: everything older than the $keep-th newest goes.
    private const string Trim = """
        DELETE FROM pep_items WHERE owner = $owner AND node = $node AND item_id NOT IN
            (SELECT item_id FROM pep_items WHERE owner = $owner AND node = $node ORDER BY published DESC LIMIT $keep)
        """;

    public Task<IReadOnlyList<PepNodeRow>> LoadAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync<string, IReadOnlyList<PepNodeRow>>(
            static (s, owner) =>
            {
                var items = new Dictionary<string, List<PepItemRow>>(StringComparer.Ordinal);
                using (var reader = s.Command(SelectItems).Bind("$owner", owner).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var node = reader.GetString(0);
                        if (!items.TryGetValue(node, out var list))
                        {
                            items[node] = list = [];
                        }

                        list.Add(new PepItemRow(reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
                    }
                }

                var nodes = new List<PepNodeRow>();
                using (var reader = s.Command(SelectNodes).Bind("$owner", owner).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var node = reader.GetString(0);
                        nodes.Add(new PepNodeRow(node, reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt32(3), items.TryGetValue(node, out var list) ? list : []));
                    }
                }

                return nodes;
            },
            owner.Bare.ToString(),
            cancellationToken);
    }

    public Task SaveNodeAsync(Jid owner, PepNodeRow node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(node);
        return writer.WriteAsync(
            static (s, row) =>
            {
                var changed = s.Command(UpsertNode).Bind("$owner", row.Owner).Bind("$node", row.Node.Node).Bind("$access", row.Node.AccessModel)
                    .Bind("$persist", row.Node.PersistItems ? 1 : 0).Bind("$max", row.Node.MaxItems).ExecuteNonQuery();

                // A node that stops persisting, or keeps fewer, drops what it no longer keeps.
                return changed + (row.Node.PersistItems
                    ? s.Command(Trim).Bind("$owner", row.Owner).Bind("$node", row.Node.Node).Bind("$keep", row.Node.MaxItems).ExecuteNonQuery()
                    : s.Command(DeleteItems).Bind("$owner", row.Owner).Bind("$node", row.Node.Node).ExecuteNonQuery());
            },
            (Owner: owner.Bare.ToString(), Node: node),
            cancellationToken);
    }

    public Task DeleteNodeAsync(Jid owner, string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return writer.WriteAsync(
            static (s, row) => s.Command(DeleteItems).Bind("$owner", row.Owner).Bind("$node", row.Node).ExecuteNonQuery()
                + s.Command(DeleteAffiliations).Bind("$owner", row.Owner).Bind("$node", row.Node).ExecuteNonQuery()
                + s.Command(DeleteNodeRow).Bind("$owner", row.Owner).Bind("$node", row.Node).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Node: node),
            cancellationToken);
    }

    public Task<IReadOnlyList<PepAffiliationRow>> LoadAffiliationsAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync<string, IReadOnlyList<PepAffiliationRow>>(
            static (s, owner) =>
            {
                var rows = new List<PepAffiliationRow>();
                using var reader = s.Command(SelectAffiliations).Bind("$owner", owner).ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(new PepAffiliationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }

                return rows;
            },
            owner.Bare.ToString(),
            cancellationToken);
    }

    public Task SaveAffiliationAsync(Jid owner, string node, Jid jid, string affiliation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(jid);
        return writer.WriteAsync(
            static (s, row) => row.Affiliation == "none"
                ? s.Command(DeleteAffiliation).Bind("$owner", row.Owner).Bind("$node", row.Node).Bind("$jid", row.Jid).ExecuteNonQuery()
                : s.Command(UpsertAffiliation).Bind("$owner", row.Owner).Bind("$node", row.Node).Bind("$jid", row.Jid).Bind("$affiliation", row.Affiliation).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Node: node, Jid: jid.Bare.ToString(), Affiliation: affiliation),
            cancellationToken);
    }

    public Task SaveItemAsync(Jid owner, string node, PepItemRow item, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        return writer.WriteAsync(
            static (s, row) => s.Command(UpsertItem).Bind("$owner", row.Owner).Bind("$node", row.Node).Bind("$id", row.Item.Id)
                    .Bind("$published", row.Item.Published).Bind("$payload", row.Item.PayloadXml).ExecuteNonQuery()
                + s.Command(Trim).Bind("$owner", row.Owner).Bind("$node", row.Node).Bind("$keep", row.Keep).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Node: node, Item: item, Keep: keep),
            cancellationToken);
    }

    public Task DeleteItemAsync(Jid owner, string node, string? itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return writer.WriteAsync(
            static (s, row) => row.Id is null
                ? s.Command(DeleteItems).Bind("$owner", row.Owner).Bind("$node", row.Node).ExecuteNonQuery()
                : s.Command(DeleteItem).Bind("$owner", row.Owner).Bind("$node", row.Node).Bind("$id", row.Id).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Node: node, Id: itemId),
            cancellationToken);
    }
}
