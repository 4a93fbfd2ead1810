namespace Converge.Xmpp.Federation;

/// <summary>
/// The link-level questions the server-to-server layer asks of the interconnection agreements:
/// whether a domain may be linked at all, and where it is. Stanza-level rules (which features
/// cross, what is exposed) are the router's.
/// </summary>
internal interface IFederationPolicy
{
    /// <summary>True when a link with <paramref name="peerDomain"/> may be opened or accepted (an agreement exists, or federation is open).</summary>
    bool MayLink(string peerDomain);

    /// <summary>The agreement's static "host:port" for the peer, or null to look it up in DNS (SRV).</summary>
    string? StaticAddress(string peerDomain);
}
