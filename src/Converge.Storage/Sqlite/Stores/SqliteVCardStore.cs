using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>XEP-0054 vCards as the serialized element, one per user.</summary>
internal sealed class SqliteVCardStore(SqliteWriter writer, SqliteReaderPool readers) : IVCardStore
{
    private const string Select = "SELECT xml FROM vcards WHERE owner = $owner";

    private const string Upsert = "INSERT INTO vcards (owner, xml) VALUES ($owner, $xml) ON CONFLICT (owner) DO UPDATE SET xml = excluded.xml";

    public Task<string?> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(
            static (s, owner) => s.Command(Select).Bind("$owner", owner).ExecuteScalar() as string,
            owner.Bare.ToString(),
            cancellationToken);
    }

    public Task SetAsync(Jid owner, string vcardXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(vcardXml);
        return writer.WriteAsync(
            static (s, vcard) => s.Command(Upsert).Bind("$owner", vcard.Owner).Bind("$xml", vcard.Xml).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Xml: vcardXml),
            cancellationToken);
    }
}
