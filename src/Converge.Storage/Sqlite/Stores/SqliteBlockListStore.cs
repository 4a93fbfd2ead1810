using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>XEP-0191 block lists, one row per blocked JID, returned in the order they were blocked.</summary>
internal sealed class SqliteBlockListStore(SqliteWriter writer, SqliteReaderPool readers) : IBlockListStore
{
    private const string Select = "SELECT item FROM block_list WHERE owner = $owner ORDER BY rowid";

    private const string Insert = "INSERT INTO block_list (owner, item) VALUES ($owner, $item) ON CONFLICT DO NOTHING";

    private const string Delete = "DELETE FROM block_list WHERE owner = $owner AND item = $item";

    private const string DeleteAll = "DELETE FROM block_list WHERE owner = $owner";

    public Task<IReadOnlyList<Jid>> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync<string, IReadOnlyList<Jid>>(
            static (s, owner) =>
            {
                using var reader = s.Command(Select).Bind("$owner", owner).ExecuteReader();
                var items = new List<Jid>();
                while (reader.Read())
                {
                    items.Add(Jid.Parse(reader.GetString(0)));
                }

                return items;
            },
            owner.Bare.ToString(),
            cancellationToken);
    }

    public Task AddAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.CompletedTask;
        }

        return writer.WriteAsync(
            static (s, change) => Apply(s.Command(Insert), change.Owner, change.Items),
            (Owner: owner.Bare.ToString(), Items: items),
            cancellationToken);
    }

    public Task RemoveAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(items);
        return writer.WriteAsync(
            static (s, change) => change.Items.Count == 0
                ? s.Command(DeleteAll).Bind("$owner", change.Owner).ExecuteNonQuery()
                : Apply(s.Command(Delete), change.Owner, change.Items),
            (Owner: owner.Bare.ToString(), Items: items),
            cancellationToken);
    }

    private static int Apply(Microsoft.Data.Sqlite.SqliteCommand command, string owner, IReadOnlyCollection<Jid> items)
    {
        command.Bind("$owner", owner);
        var changed = 0;
        foreach (var item in items)
        {
            changed += command.Bind("$item", item.ToString()).ExecuteNonQuery();
        }

        return changed;
    }
}
