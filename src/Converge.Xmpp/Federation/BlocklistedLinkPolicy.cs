namespace Converge.Xmpp.Federation;

/// <summary>
/// Puts the server-wide domain blocklist in front of whatever link policy the server runs with: a
/// listed domain (or a subdomain of one) is never linked - no connection attempt out, no stream,
/// dialback or SASL EXTERNAL accepted in - whatever an agreement says.
/// </summary>
internal sealed class BlocklistedLinkPolicy(DomainBlocklist blocklist, IFederationPolicy inner) : IFederationPolicy
{
    public bool MayLink(string peerDomain) => !blocklist.IsBlocked(peerDomain) && inner.MayLink(peerDomain);

    public string? StaticAddress(string peerDomain) => inner.StaticAddress(peerDomain);

    public int MaxStanzasPerSecond(string peerDomain) => inner.MaxStanzasPerSecond(peerDomain);

    public bool RequireCertificate(string peerDomain) => inner.RequireCertificate(peerDomain);
}
