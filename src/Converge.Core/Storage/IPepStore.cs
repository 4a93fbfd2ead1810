using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>
/// Personal eventing (XEP-0163) nodes of each account and their persisted items. Items of a node
/// that does not persist them never reach the store; the caller enforces the limits and passes
/// how many items a node keeps, so a write never leaves more than that behind.
/// </summary>
public interface IPepStore
{
    /// <summary>Every node of an account with its items, oldest item first.</summary>
    Task<IReadOnlyList<PepNodeRow>> LoadAsync(Jid owner, CancellationToken cancellationToken = default);

    /// <summary>Creates a node or changes its configuration (its items stay).</summary>
    Task SaveNodeAsync(Jid owner, PepNodeRow node, CancellationToken cancellationToken = default);

    /// <summary>Every affiliation the owner granted on any of its nodes (XEP-0060 §8.9); the owner's own is implicit.</summary>
    Task<IReadOnlyList<PepAffiliationRow>> LoadAffiliationsAsync(Jid owner, CancellationToken cancellationToken = default);

    /// <summary>Sets a (bare) JID's affiliation with a node; <c>none</c> removes it.</summary>
    Task SaveAffiliationAsync(Jid owner, string node, Jid jid, string affiliation, CancellationToken cancellationToken = default);

    /// <summary>Deletes a node with all its items and affiliations.</summary>
    Task DeleteNodeAsync(Jid owner, string node, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces, same id) an item and removes the oldest beyond <paramref name="keep"/>.</summary>
    Task SaveItemAsync(Jid owner, string node, PepItemRow item, int keep, CancellationToken cancellationToken = default);

    /// <summary>Removes one item; removing all of a node's items when <paramref name="itemId"/> is null (purge).</summary>
    Task DeleteItemAsync(Jid owner, string node, string? itemId, CancellationToken cancellationToken = default);
}
