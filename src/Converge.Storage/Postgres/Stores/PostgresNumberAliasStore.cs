using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Which contacts address a subscriber by number.</summary>
internal sealed class PostgresNumberAliasStore(PostgresWriter writer, PostgresReader reader) : INumberAliasStore
{
    private const string Insert = "INSERT INTO number_aliases (owner, contact) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    private const string Select = "SELECT contact FROM number_aliases WHERE owner = $1";

    public Task AddAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        return writer.WriteAsync(new PostgresStatement(Insert, owner.Bare.ToString(), contact.Bare.ToString()), cancellationToken);
    }

    public async Task<IReadOnlyList<Jid>> ContactsAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var texts = await reader.ListAsync(new(Select, owner.Bare.ToString()), static r => r.GetString(0), cancellationToken)
            .ConfigureAwait(false);

        // Like the SQLite store: a row that is no JID (written by hand) is skipped, not fatal.
        var contacts = new List<Jid>(texts.Count);
        foreach (var text in texts)
        {
            if (Jid.TryParse(text, out var jid))
            {
                contacts.Add(jid);
            }
        }

        return contacts;
    }
}
