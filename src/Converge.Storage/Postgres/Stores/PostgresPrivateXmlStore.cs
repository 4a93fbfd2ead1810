using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>XEP-0049 private XML, one serialized element per account, element name and namespace.</summary>
internal sealed class PostgresPrivateXmlStore(PostgresWriter writer, PostgresReader reader) : IPrivateXmlStore
{
    private const string Select = "SELECT xml FROM private_xml WHERE owner = $1 AND name = $2 AND ns = $3";

    private const string Upsert = "INSERT INTO private_xml (owner, name, ns, xml) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, name, ns) DO UPDATE SET xml = excluded.xml";

    public async Task<string?> GetAsync(Jid owner, string name, string ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return await reader.ScalarAsync(new(Select, owner.Bare.ToString(), name, ns), cancellationToken).ConfigureAwait(false) as string;
    }

    public Task SetAsync(Jid owner, string name, string ns, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(xml);
        return writer.WriteAsync(new PostgresStatement(Upsert, owner.Bare.ToString(), name, ns, xml), cancellationToken);
    }
}
