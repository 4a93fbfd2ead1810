using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>
/// Which contacts know a subscriber by their number (+E164@domain) rather than by name: what the
/// subscriber sends them must come from that address too, so the contact's roster, presence and
/// conversations stay on one address (seed 000, common addressing scheme).
/// </summary>
public interface INumberAliasStore
{
    /// <summary>Records that <paramref name="contact"/> addresses <paramref name="owner"/> by number.</summary>
    Task AddAsync(Jid owner, Jid contact, CancellationToken cancellationToken = default);

    /// <summary>The contacts that address <paramref name="owner"/> by number.</summary>
    Task<IReadOnlyList<Jid>> ContactsAsync(Jid owner, CancellationToken cancellationToken = default);
}
