using System.Collections.Concurrent;
using Converge.Core.Addressing;

namespace Converge.Xmpp.Pep;

/// <summary>
/// Entity capabilities (XEP-0115) the server has learnt: features by verified 'ver' (bounded, shared
/// by every client of the same software), and the caps of each available resource by bare JID and
/// resource, so that a PEP notification finds who wants it without asking anyone.
/// </summary>
internal sealed class EntityCapabilities(PepLimits limits)
{
    private static readonly IReadOnlySet<string> NoFeatures = new HashSet<string>();

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _byVer = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Jid, ConcurrentDictionary<string, ResourceCaps>> _resources = new();

    public int KnownVersions => _byVer.Count;

    public IReadOnlySet<string>? FeaturesOf(string ver) => _byVer.TryGetValue(ver, out var f) ? f : null;

    /// <summary>Remembers a verified 'ver'; when the cache is full an arbitrary entry makes room (a miss costs one disco#info).</summary>
    public void Remember(string ver, IReadOnlySet<string> features)
    {
        while (_byVer.Count >= limits.CapsCacheSize && !_byVer.ContainsKey(ver))
        {
            using var e = _byVer.Keys.GetEnumerator();
            if (!e.MoveNext())
            {
                break;
            }

            _byVer.TryRemove(e.Current, out _);
        }

        _byVer[ver] = features;
    }

    /// <summary>The caps entry of an available resource; null when it never announced itself available.</summary>
    public ResourceCaps? Find(Jid fullJid) =>
        fullJid.Resource is { } r && _resources.TryGetValue(fullJid.Bare, out var byResource) && byResource.TryGetValue(r, out var caps) ? caps : null;

    /// <summary>The entry of a resource, created when it first shows up available.</summary>
    public ResourceCaps GetOrAdd(Jid fullJid, string? ver) =>
        _resources.GetOrAdd(fullJid.Bare, static _ => new(StringComparer.Ordinal)).GetOrAdd(fullJid.Resource ?? "", _ => new ResourceCaps(ver));

    /// <summary>The resource went offline (or the whole entity, for a bare JID): its entry goes.</summary>
    public void Forget(Jid jid)
    {
        if (!_resources.TryGetValue(jid.Bare, out var byResource))
        {
            return;
        }

        if (jid.Resource is null)
        {
            _resources.TryRemove(jid.Bare, out _);
            return;
        }

        byResource.TryRemove(jid.Resource, out _);
        if (byResource.IsEmpty)
        {
            _resources.TryRemove(new KeyValuePair<Jid, ConcurrentDictionary<string, ResourceCaps>>(jid.Bare, byResource));
        }
    }

    /// <summary>The known available resources of an entity with the features each advertised (none yet for the unknown).</summary>
    public IEnumerable<PepNotificationTarget> ResourcesOf(Jid bareJid)
    {
        if (!_resources.TryGetValue(bareJid, out var byResource))
        {
            yield break;
        }

        foreach (var (resource, caps) in byResource)
        {
            yield return new PepNotificationTarget(bareJid.WithResource(resource), caps.Features ?? NoFeatures);
        }
    }

    public IReadOnlySet<string> FeaturesOfResource(Jid fullJid) => Find(fullJid)?.Features ?? NoFeatures;
}
