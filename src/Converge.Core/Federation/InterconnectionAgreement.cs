namespace Converge.Core.Federation;

/// <summary>The agreement with one peer provider, from the configuration's <c>Agreements</c> section.</summary>
/// <param name="PeerDomain">The peer's XMPP domain, e.g. b.example.</param>
/// <param name="Address">A static "host:port" for the peer's server-to-server listener; null to use DNS SRV.</param>
/// <param name="Features">What may cross, in both directions.</param>
/// <param name="NumberRanges">E.164 prefixes (with '+') whose numbers belong to the peer's subscribers.</param>
/// <param name="Expose">Information about our users the peer's users may see.</param>
/// <param name="StanzasPerSecond">Rate limit of stanzas received from this peer (0: unlimited).</param>
/// <param name="RequireCertificate">
/// The peer must prove its domain with a trusted certificate on every link: our outbound link is made
/// only to a server whose certificate chains to the trusted roots and names the domain, and its inbound
/// links must authenticate with SASL EXTERNAL, never dialback.
/// </param>
/// <param name="InterworkingPerMinute">
/// Messages per minute the peer's users together may make our gateway send, when <see cref="InterconnectionFeature.Interworking"/> is granted.
/// </param>
/// <param name="RateLimit">Messages per minute one of the peer's users may send to ours (0: unlimited).</param>
/// <param name="SubscriptionRateLimit">Subscription requests per minute one of the peer's users may send to ours (0: unlimited).</param>
/// <param name="IncludeSubdomains">
/// The agreement also covers every domain under <paramref name="PeerDomain"/> (conference.b.example,
/// upload.b.example) that has no agreement of its own. Off by default: a subdomain is a different server
/// as far as DNS and certificates go, and is covered only when the operator says so.
/// </param>
public sealed record InterconnectionAgreement(
    string PeerDomain,
    string? Address,
    InterconnectionFeature Features,
    IReadOnlyList<string> NumberRanges,
    ExposurePolicy Expose,
    int StanzasPerSecond = 0,
    bool RequireCertificate = false,
    int InterworkingPerMinute = InterconnectionAgreement.DefaultInterworkingPerMinute,
    int RateLimit = 0,
    int SubscriptionRateLimit = InterconnectionAgreement.DefaultSubscriptionRateLimit,
    bool IncludeSubdomains = false)
{
    public const int DefaultInterworkingPerMinute = 60;

    /// <summary>Nobody adds ten new contacts a minute by hand, day after day; a spammer's script does.</summary>
    public const int DefaultSubscriptionRateLimit = 10;

    public bool Allows(InterconnectionFeature feature) => (Features & feature) == feature;
}
