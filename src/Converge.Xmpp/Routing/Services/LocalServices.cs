using System.Collections.Frozen;

namespace Converge.Xmpp.Routing.Services;

/// <summary>
/// The service domains this server hosts, registered at start-up before the first stanza is routed
/// (a frozen table afterwards: looked up once per stanza, without a lock).
/// </summary>
internal sealed class LocalServices
{
    private readonly List<ILocalService> _services = [];
    private FrozenDictionary<string, ILocalService> _byDomain = FrozenDictionary<string, ILocalService>.Empty;

    public IReadOnlyList<ILocalService> All => _services;

    /// <summary>Adds a service; its domain must be new. Called while the server is being built.</summary>
    public void Register(ILocalService service)
    {
        if (_byDomain.ContainsKey(service.Domain))
        {
            throw new InvalidOperationException($"Two services claim the domain {service.Domain}.");
        }

        _services.Add(service);
        _byDomain = _services.ToFrozenDictionary(s => s.Domain, StringComparer.Ordinal);
    }

    public ILocalService? Find(string domain) => _byDomain.GetValueOrDefault(domain);
}
