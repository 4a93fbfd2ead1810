using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>The server-wide domain blocklist, one row per domain (case-folded by the caller).</summary>
internal sealed class PostgresDomainBlockStore(PostgresWriter writer, PostgresReader reader) : IDomainBlockStore
{
    private const string Insert = "INSERT INTO blocked_domains (domain, added_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    private const string Delete = "DELETE FROM blocked_domains WHERE domain = $1";

    private const string Select = "SELECT domain FROM blocked_domains ORDER BY added_at, domain";

    public async Task<bool> AddAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return await writer.WriteAsync(new PostgresStatement(Insert, domain, at.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RemoveAsync(string domain, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return await writer.WriteAsync(new PostgresStatement(Delete, domain), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        await reader.ListAsync(new(Select), static r => r.GetString(0), cancellationToken).ConfigureAwait(false);
}
