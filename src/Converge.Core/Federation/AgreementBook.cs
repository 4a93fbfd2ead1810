using Converge.Core.Addressing;

namespace Converge.Core.Federation;

/// <summary>
/// All interconnection agreements of this provider at one moment: an immutable snapshot, swapped
/// whole when the configuration is reloaded, so readers on the routing path never lock.
/// Also the common addressing scheme: which provider a phone number belongs to (seed 000 §7.1.3).
/// </summary>
public sealed class AgreementBook
{
    private readonly Dictionary<string, InterconnectionAgreement> _byDomain;
    private readonly (string Prefix, string? Domain)[] _ranges; // Domain null = our own range

    public AgreementBook(bool open, IEnumerable<InterconnectionAgreement> agreements, IEnumerable<string> ownNumberRanges)
    {
        Open = open;
        _byDomain = agreements.ToDictionary(a => a.PeerDomain.ToLowerInvariant(), StringComparer.Ordinal);
        _ranges =
        [
            .. ownNumberRanges.Select(r => (r, (string?)null)),
            .. _byDomain.Values.SelectMany(a => a.NumberRanges.Select(r => (r, (string?)a.PeerDomain.ToLowerInvariant()))),
        ];

        // Longest prefix first, so the first match is the most specific.
        Array.Sort(_ranges, (x, y) => y.Prefix.Length.CompareTo(x.Prefix.Length));
    }

    public static AgreementBook Empty { get; } = new(false, [], []);

    /// <summary>Federation with any domain, agreement or not (Federation.Open).</summary>
    public bool Open { get; }

    public IReadOnlyCollection<InterconnectionAgreement> Agreements => _byDomain.Values;

    /// <summary>
    /// The agreement covering <paramref name="peerDomain"/>: its own, else that of the nearest parent domain
    /// whose agreement says <see cref="InterconnectionAgreement.IncludeSubdomains"/>, so a peer's services
    /// (conference.b.example) travel under the agreement with b.example only when the operator said so -
    /// otherwise anybody able to name a host under b.example would federate on b.example's terms.
    /// </summary>
    public InterconnectionAgreement? Find(string peerDomain)
    {
        var domain = peerDomain.ToLowerInvariant();
        if (_byDomain.TryGetValue(domain, out var a))
        {
            return a;
        }

        for (var dot = domain.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = domain.IndexOf('.', dot + 1))
        {
            if (_byDomain.TryGetValue(domain[(dot + 1)..], out var parent))
            {
                // The nearest parent with an agreement decides: a parent further up never overrides it.
                return parent.IncludeSubdomains ? parent : null;
            }
        }

        return null;
    }

    /// <summary>May a link with this domain exist at all?</summary>
    public bool MayLink(string peerDomain) => Open || Find(peerDomain) is not null;

    /// <summary>
    /// May <paramref name="feature"/> cross to or from <paramref name="peerDomain"/>? With an agreement, its
    /// feature list decides; without one, only an open federation lets anything cross - and never
    /// <see cref="InterconnectionFeature.Interworking"/>, which costs money per message and so is only
    /// ever granted by name.
    /// </summary>
    public bool Allows(string peerDomain, InterconnectionFeature feature)
    {
        var agreement = Find(peerDomain);
        return agreement is null ? Open && (feature & InterconnectionFeature.Interworking) == 0 : agreement.Allows(feature);
    }

    /// <summary>What our users may show the peer's users; an open federation without agreement exposes nothing.</summary>
    public ExposurePolicy ExposureFor(string peerDomain) => Find(peerDomain)?.Expose ?? ExposurePolicy.None;

    /// <summary>
    /// The provider a number belongs to, by longest-prefix match over our own ranges and the agreements':
    /// null when it is ours (or in no range: the caller decides), else the peer's domain.
    /// </summary>
    public NumberRoute RouteNumber(string e164)
    {
        foreach (var (prefix, domain) in _ranges)
        {
            if (e164.StartsWith(prefix, StringComparison.Ordinal))
            {
                return domain is null ? NumberRoute.Own : NumberRoute.Peer(domain);
            }
        }

        return NumberRoute.Unknown;
    }

    /// <summary>Rewrites <c>+E164@ourdomain</c> to <c>+E164@peer</c> when the number is in a peer's range.</summary>
    public Jid? PeerAddressFor(Jid numberJid)
    {
        if (!E164.IsE164Localpart(numberJid.Local) || RouteNumber(numberJid.Local!) is not { Kind: NumberRouteKind.Peer } route)
        {
            return null;
        }

        return Jid.Create(numberJid.Local, route.Domain!, numberJid.Resource);
    }
}
