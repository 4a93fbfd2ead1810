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

    /// <summary>
    /// Stanzas per second a peer may send over one inbound link (the agreement's rate limit); 0 for
    /// no limit. A link that exceeds it beyond a burst of five seconds' worth is cut off with
    /// &lt;policy-violation/&gt;. Read when the link authenticates the domain.
    /// </summary>
    int MaxStanzasPerSecond(string peerDomain) => 0;

    /// <summary>
    /// True when <paramref name="peerDomain"/> must prove itself with a trusted certificate (the
    /// agreement's RequireCertificate): our outbound link is made only to a server whose certificate
    /// does, and its inbound links must use SASL EXTERNAL, never dialback.
    /// </summary>
    bool RequireCertificate(string peerDomain) => false;
}
