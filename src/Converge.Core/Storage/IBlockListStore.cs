using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>XEP-0191 block lists. Items are JIDs as given (bare, full or domain).</summary>
public interface IBlockListStore
{
    Task<IReadOnlyList<Jid>> GetAsync(Jid owner, CancellationToken cancellationToken = default);

    Task AddAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default);

    /// <summary>Removes the given items, or all of them when <paramref name="items"/> is empty.</summary>
    Task RemoveAsync(Jid owner, IReadOnlyCollection<Jid> items, CancellationToken cancellationToken = default);
}
