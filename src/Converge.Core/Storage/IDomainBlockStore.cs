namespace Converge.Core.Storage;

/// <summary>
/// The server-wide domain blocklist (<c>converge block domain</c>): domains, case-folded, with which no
/// stanza is exchanged in either direction. Kept in storage so that the CLI in another process and
/// every node see the same list.
/// </summary>
public interface IDomainBlockStore
{
    /// <summary>Adds a domain; false when it was already listed.</summary>
    Task<bool> AddAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes a domain; false when it was not listed.</summary>
    Task<bool> RemoveAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Every listed domain, in the order they were added.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
