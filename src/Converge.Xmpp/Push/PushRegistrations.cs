using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Xmpp.Push;

/// <summary>
/// Every account's push registrations, read from the store once per account and kept: the routing
/// step asks for them on every message to an account, the store only when they change.
/// </summary>
internal sealed class PushRegistrations(IPushStore store)
{
    private readonly ConcurrentDictionary<Jid, IReadOnlyList<PushRegistrationRow>> _cache = new();
    private readonly ConcurrentDictionary<Jid, SemaphoreSlim> _locks = new();

    public async ValueTask<IReadOnlyList<PushRegistrationRow>> OfAsync(Jid owner, CancellationToken cancellationToken)
    {
        owner = owner.Bare;
        if (_cache.TryGetValue(owner, out var known))
        {
            return known;
        }

        var loaded = await store.GetAsync(owner, cancellationToken).ConfigureAwait(false);
        return _cache.GetOrAdd(owner, loaded);
    }

    /// <summary>Saves a registration (replacing the one for the same app server and node); false when the account holds <paramref name="max"/> others already.</summary>
    public async ValueTask<bool> EnableAsync(Jid owner, PushRegistrationRow registration, int max, CancellationToken cancellationToken)
    {
        owner = owner.Bare;
        var gate = _locks.GetOrAdd(owner, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await OfAsync(owner, cancellationToken).ConfigureAwait(false);
            var others = current.Where(r => r.Service != registration.Service || r.Node != registration.Node).ToList();
            if (others.Count >= max)
            {
                return false;
            }

            await store.SaveAsync(owner, registration, cancellationToken).ConfigureAwait(false);
            _cache[owner] = [.. others, registration];
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes the registrations on <paramref name="service"/> (one node, or all when null); the number removed.</summary>
    public async ValueTask<int> DisableAsync(Jid owner, string service, string? node, CancellationToken cancellationToken)
    {
        owner = owner.Bare;
        var gate = _locks.GetOrAdd(owner, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await OfAsync(owner, cancellationToken).ConfigureAwait(false);
            var kept = current.Where(r => r.Service != service || (node is not null && r.Node != node)).ToList();
            if (kept.Count == current.Count)
            {
                return 0;
            }

            await store.RemoveAsync(owner, service, node, cancellationToken).ConfigureAwait(false);
            _cache[owner] = kept;
            return current.Count - kept.Count;
        }
        finally
        {
            gate.Release();
        }
    }
}
