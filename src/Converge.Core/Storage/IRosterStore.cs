using Converge.Core.Addressing;
using Converge.Core.Roster;

namespace Converge.Core.Storage;

/// <summary>Rosters with versioning (RFC 6121 §2.6): every change bumps the owner's roster version.</summary>
public interface IRosterStore
{
    Task<(IReadOnlyList<RosterItem> Items, long Version)> GetAsync(Jid owner, CancellationToken cancellationToken = default);

    Task<RosterItem?> GetItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the item; returns the new roster version.</summary>
    Task<long> SetItemAsync(Jid owner, RosterItem item, CancellationToken cancellationToken = default);

    /// <summary>Deletes the item; returns the new roster version (unchanged if there was none).</summary>
    Task<long> RemoveItemAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default);

    /// <summary>The owners whose rosters hold this contact (for presence probes of remote peers, removal of accounts).</summary>
    Task<IReadOnlyList<Jid>> OwnersOfContactAsync(Jid contact, CancellationToken cancellationToken = default);
}
