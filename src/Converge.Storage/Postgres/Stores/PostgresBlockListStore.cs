using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>XEP-0191 block lists, one row per blocked JID, returned in the order they were blocked.</summary>
internal sealed class PostgresBlockListStore(PostgresWriter writer, PostgresReader reader) : IBlockListStore
{
    private const string Select = "SELECT item FROM block_list WHERE owner = $1 ORDER BY seq";

    // WITH ORDINALITY keeps the given order in seq.
    private const string Insert = """
        INSERT INTO block_list (owner, item)
        SELECT $1, i.item FROM unnest($2::text[]) WITH ORDINALITY AS i (item, n) ORDER BY i.n
        ON CONFLICT DO NOTHING
        """;

    private const string Delete = "DELETE FROM block_list WHERE owner = $1 AND item = ANY ($2)";

    private const string DeleteAll = "DELETE FROM block_list WHERE owner = $1";

    public async Task<IReadOnlyList<Jid>> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return await reader.ListAsync(new(Select, owner.Bare.ToString()), static r => Jid.Parse(r.GetString(0)), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task AddAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(items);
        return items.Count == 0
            ? Task.CompletedTask
            : writer.WriteAsync(new PostgresStatement(Insert, owner.Bare.ToString(), Texts(items)), cancellationToken);
    }

    public Task RemoveAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(items);
        return writer.WriteAsync(
            items.Count == 0 ? new PostgresStatement(DeleteAll, owner.Bare.ToString()) : new PostgresStatement(Delete, owner.Bare.ToString(), Texts(items)),
            cancellationToken);
    }

    private static string[] Texts(IReadOnlyCollection<Jid> items) => items.Select(static j => j.ToString()).ToArray();
}
