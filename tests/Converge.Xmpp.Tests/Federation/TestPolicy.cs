using Converge.Core.Federation;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Server;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// The link-level policy read from the server's agreements, as the host wires it: an agreement
/// (or open federation) allows a link, its Address is the peer's static address, its rate limit
/// applies to inbound links.
/// </summary>
internal sealed class TestPolicy(XmppServer server) : IFederationPolicy
{
    public const InterconnectionFeature Everything = InterconnectionFeature.Messaging | InterconnectionFeature.Presence
        | InterconnectionFeature.Subscription | InterconnectionFeature.Search | InterconnectionFeature.Sessions;

    public bool MayLink(string peerDomain) => server.Agreements.MayLink(peerDomain);

    public string? StaticAddress(string peerDomain) => server.Agreements.Find(peerDomain)?.Address;

    public int MaxStanzasPerSecond(string peerDomain) => server.Agreements.Find(peerDomain)?.StanzasPerSecond ?? 0;

    public bool RequireCertificate(string peerDomain) => server.Agreements.Find(peerDomain)?.RequireCertificate ?? false;

    /// <summary>Puts an agreement with <paramref name="domain"/> in force (replacing any earlier one).</summary>
    public void Allow(
        string domain, string? address, InterconnectionFeature features = Everything, int stanzasPerSecond = 0, bool requireCertificate = false, bool includeSubdomains = false)
    {
        var others = server.Agreements.Agreements.Where(a => a.PeerDomain != domain);
        var agreement = new InterconnectionAgreement(domain, address, features, [], ExposurePolicy.None, stanzasPerSecond, requireCertificate, IncludeSubdomains: includeSubdomains);
        server.UpdateAgreements(new AgreementBook(false, [.. others, agreement], []));
    }

    public void Revoke(string domain) =>
        server.UpdateAgreements(new AgreementBook(false, server.Agreements.Agreements.Where(a => a.PeerDomain != domain), []));
}
