using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>Contacts that address a subscriber by number; see <see cref="INumberAliasStore"/>.</summary>
internal sealed class SqliteNumberAliasStore(SqliteWriter writer, SqliteReaderPool readers) : INumberAliasStore
{
    private const string Insert = "INSERT INTO number_aliases (owner, contact) VALUES ($owner, $contact) ON CONFLICT DO NOTHING";

    private const string Select = "SELECT contact FROM number_aliases WHERE owner = $owner";

    public Task AddAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(contact);
        return writer.WriteAsync(
            static (s, a) => s.Command(Insert).Bind("$owner", a.Owner).Bind("$contact", a.Contact).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Contact: contact.Bare.ToString()),
            cancellationToken);
    }

    public Task<IReadOnlyList<Jid>> ContactsAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync<string, IReadOnlyList<Jid>>(
            static (s, owner) =>
            {
                using var reader = s.Command(Select).Bind("$owner", owner).ExecuteReader();
                var contacts = new List<Jid>();
                while (reader.Read())
                {
                    if (Jid.TryParse(reader.GetString(0), out var jid))
                    {
                        contacts.Add(jid);
                    }
                }

                return contacts;
            },
            owner.Bare.ToString(),
            cancellationToken);
    }
}
