using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>XEP-0049 private XML, one serialized element per account, element name and namespace.</summary>
internal sealed class SqlitePrivateXmlStore(SqliteWriter writer, SqliteReaderPool readers) : IPrivateXmlStore
{
    private const string Select = "SELECT xml FROM private_xml WHERE owner = $owner AND name = $name AND ns = $ns";

    private const string Upsert = "INSERT INTO private_xml (owner, name, ns, xml) VALUES ($owner, $name, $ns, $xml) ON CONFLICT (owner, name, ns) DO UPDATE SET xml = excluded.xml";

    public Task<string?> GetAsync(Jid owner, string name, string ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync(
            static (s, key) => s.Command(Select).Bind("$owner", key.Owner).Bind("$name", key.Name).Bind("$ns", key.Ns).ExecuteScalar() as string,
            (Owner: owner.Bare.ToString(), Name: name, Ns: ns),
            cancellationToken);
    }

    public Task SetAsync(Jid owner, string name, string ns, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(xml);
        return writer.WriteAsync(
            static (s, row) => s.Command(Upsert).Bind("$owner", row.Owner).Bind("$name", row.Name).Bind("$ns", row.Ns).Bind("$xml", row.Xml).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Name: name, Ns: ns, Xml: xml),
            cancellationToken);
    }
}
