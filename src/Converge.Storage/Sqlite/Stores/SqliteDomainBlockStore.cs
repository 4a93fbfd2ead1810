using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>The server-wide domain blocklist, one row per domain (case-folded by the caller).</summary>
internal sealed class SqliteDomainBlockStore(SqliteWriter writer, SqliteReaderPool readers) : IDomainBlockStore
{
    private const string Insert = "INSERT INTO blocked_domains (domain, added_at) VALUES ($domain, $at) ON CONFLICT DO NOTHING";

    private const string Delete = "DELETE FROM blocked_domains WHERE domain = $domain";

    private const string Select = "SELECT domain FROM blocked_domains ORDER BY added_at, domain";

    public async Task<bool> AddAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return await writer.WriteAsync(
            static (s, a) => s.Command(Insert).Bind("$domain", a.Domain).Bind("$at", a.At).ExecuteNonQuery(),
            (Domain: domain, At: at.ToUnixTimeMilliseconds()),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RemoveAsync(string domain, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return await writer.WriteAsync(
            static (s, domain) => s.Command(Delete).Bind("$domain", domain).ExecuteNonQuery(),
            domain,
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync<int, IReadOnlyList<string>>(
            static (s, _) =>
            {
                using var reader = s.Command(Select).ExecuteReader();
                var domains = new List<string>();
                while (reader.Read())
                {
                    domains.Add(reader.GetString(0));
                }

                return domains;
            },
            0,
            cancellationToken);
}
