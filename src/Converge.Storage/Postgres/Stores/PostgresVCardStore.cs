using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>XEP-0054 vCards, one serialized element per owner.</summary>
internal sealed class PostgresVCardStore(PostgresWriter writer, PostgresReader reader) : IVCardStore
{
    private const string Select = "SELECT xml FROM vcards WHERE owner = $1";

    private const string Upsert = "INSERT INTO vcards (owner, xml) VALUES ($1, $2) ON CONFLICT (owner) DO UPDATE SET xml = excluded.xml";

    public async Task<string?> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return await reader.ScalarAsync(new(Select, owner.Bare.ToString()), cancellationToken).ConfigureAwait(false) as string;
    }

    public Task SetAsync(Jid owner, string vcardXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(vcardXml);
        return writer.WriteAsync(new PostgresStatement(Upsert, owner.Bare.ToString(), vcardXml), cancellationToken);
    }
}
