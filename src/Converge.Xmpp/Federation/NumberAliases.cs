using System.Collections.Concurrent;
using System.Collections.Immutable;
using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Xmpp.Federation;

/// <summary>
/// In-memory view of <see cref="INumberAliasStore"/>: for each subscriber with a number, the
/// contacts that know them by it. Loaded per owner on first use, so routing asks no I/O after that.
/// </summary>
internal sealed class NumberAliases(INumberAliasStore store)
{
    private readonly ConcurrentDictionary<Jid, ImmutableHashSet<Jid>> _byOwner = new();

    public async ValueTask<bool> KnowsByNumberAsync(Jid owner, Jid contact, CancellationToken cancellationToken)
    {
        var set = await GetAsync(owner, cancellationToken).ConfigureAwait(false);
        return set.Contains(contact.Bare);
    }

    public async ValueTask RememberAsync(Jid owner, Jid contact, CancellationToken cancellationToken)
    {
        var set = await GetAsync(owner, cancellationToken).ConfigureAwait(false);
        if (set.Contains(contact.Bare))
        {
            return;
        }

        await store.AddAsync(owner, contact.Bare, cancellationToken).ConfigureAwait(false);
        _byOwner.AddOrUpdate(owner, _ => [contact.Bare], (_, old) => old.Add(contact.Bare));
    }

    private async ValueTask<ImmutableHashSet<Jid>> GetAsync(Jid owner, CancellationToken cancellationToken)
    {
        if (_byOwner.TryGetValue(owner, out var set))
        {
            return set;
        }

        var contacts = await store.ContactsAsync(owner, cancellationToken).ConfigureAwait(false);
        return _byOwner.GetOrAdd(owner, [.. contacts]);
    }

    public void Forget(Jid owner) => _byOwner.TryRemove(owner, out _);
}
