using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>PEP nodes (XEP-0163) with their configuration, and the items of the nodes that persist them.</summary>
internal sealed class PostgresPepStore(PostgresWriter writer, PostgresReader reader) : IPepStore
{
    private const string SelectNodes = "SELECT node, access_model, persist_items, max_items FROM pep_nodes WHERE owner = $1 ORDER BY node";

    private const string SelectItems = "SELECT node, item_id, published, payload FROM pep_items WHERE owner = $1 ORDER BY node, published";

    private const string UpsertNode = """
        INSERT INTO pep_nodes (owner, node, access_model, persist_items, max_items) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (owner, node) DO UPDATE SET access_model = excluded.access_model, persist_items = excluded.persist_items, max_items = excluded.max_items
        """;

    private const string SelectAffiliations = "SELECT node, jid, affiliation FROM pep_affiliations WHERE owner = $1 ORDER BY node, jid";

    private const string UpsertAffiliation = """
        INSERT INTO pep_affiliations (owner, node, jid, affiliation) VALUES ($1, $2, $3, $4)
        ON CONFLICT (owner, node, jid) DO UPDATE SET affiliation = excluded.affiliation
        """;

    private const string DeleteAffiliation = "DELETE FROM pep_affiliations WHERE owner = $1 AND node = $2 AND jid = $3";

    private const string DeleteAffiliations = "DELETE FROM pep_affiliations WHERE owner = $1 AND node = $2";

    private const string DeleteNodeRow = "DELETE FROM pep_nodes WHERE owner = $1 AND node = $2";

    private const string DeleteItems = "DELETE FROM pep_items WHERE owner = $1 AND node = $2";

    private const string DeleteItem = "DELETE FROM pep_items WHERE owner = $1 AND node = $2 AND item_id = $3";

    private const string UpsertItem = """
        INSERT INTO pep_items (owner, node, item_id, published, payload) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (owner, node, item_id) DO UPDATE SET published = excluded.published, payload = excluded.payload
        """;

    // Keeps the newest $3 items: everything older than the $3-th newest goes.
    private const string Trim = """
        DELETE FROM pep_items WHERE owner = $1 AND node = $2 AND item_id NOT IN
            (SELECT item_id FROM pep_items WHERE owner = $1 AND node = $2 ORDER BY published DESC LIMIT $3)
        """;

    public Task<IReadOnlyList<PepNodeRow>> LoadAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();

        // Nodes and items from one snapshot: never the items of a node removed meanwhile.
        return reader.SnapshotAsync<IReadOnlyList<PepNodeRow>>(
            async (connection, transaction) =>
            {
                var items = new Dictionary<string, List<PepItemRow>>(StringComparer.Ordinal);
                var rows = await PostgresReader.ListAsync(
                    connection, transaction, new(SelectItems, key),
                    static r => (Node: r.GetString(0), Item: new PepItemRow(r.GetString(1), r.GetInt64(2), r.GetString(3))),
                    cancellationToken).ConfigureAwait(false);
                foreach (var (node, item) in rows)
                {
                    if (!items.TryGetValue(node, out var list))
                    {
                        items[node] = list = [];
                    }

                    list.Add(item);
                }

                return await PostgresReader.ListAsync(
                    connection, transaction, new(SelectNodes, key),
                    r => new PepNodeRow(
                        r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetInt32(3), items.TryGetValue(r.GetString(0), out var list) ? list : []),
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task SaveNodeAsync(Jid owner, PepNodeRow node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(node);
        var key = owner.Bare.ToString();

        // A node that stops persisting, or keeps fewer, drops what it no longer keeps - in the same commit.
        return writer.WriteAsync(
            [
                new(UpsertNode, key, node.Node, node.AccessModel, node.PersistItems, node.MaxItems),
                node.PersistItems ? new(Trim, key, node.Node, (long)node.MaxItems) : new(DeleteItems, key, node.Node),
            ],
            static _ => true,
            cancellationToken);
    }

    public Task DeleteNodeAsync(Jid owner, string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();
        return writer.WriteAsync([new(DeleteItems, key, node), new(DeleteAffiliations, key, node), new(DeleteNodeRow, key, node)], static _ => true, cancellationToken);
    }

    public Task<IReadOnlyList<PepAffiliationRow>> LoadAffiliationsAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();
        return reader.SnapshotAsync<IReadOnlyList<PepAffiliationRow>>(
            async (connection, transaction) => await PostgresReader.ListAsync(
                connection, transaction, new(SelectAffiliations, key),
                static r => new PepAffiliationRow(r.GetString(0), r.GetString(1), r.GetString(2)),
                cancellationToken).ConfigureAwait(false),
            cancellationToken);
    }

    public Task SaveAffiliationAsync(Jid owner, string node, Jid jid, string affiliation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(jid);
        var key = owner.Bare.ToString();
        var member = jid.Bare.ToString();
        return writer.WriteAsync(
            affiliation == "none" ? new PostgresStatement(DeleteAffiliation, key, node, member) : new PostgresStatement(UpsertAffiliation, key, node, member, affiliation),
            cancellationToken);
    }

    public Task SaveItemAsync(Jid owner, string node, PepItemRow item, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var key = owner.Bare.ToString();
        return writer.WriteAsync(
            [new(UpsertItem, key, node, item.Id, item.Published, item.PayloadXml), new(Trim, key, node, (long)keep)],
            static _ => true,
            cancellationToken);
    }

    public Task DeleteItemAsync(Jid owner, string node, string? itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = owner.Bare.ToString();
        return writer.WriteAsync(itemId is null ? new PostgresStatement(DeleteItems, key, node) : new PostgresStatement(DeleteItem, key, node, itemId), cancellationToken);
    }
}
