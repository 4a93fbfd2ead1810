namespace Converge.Xmpp.Federation;

/// <summary>The link-level policy read from the agreements in force (which change on reload).</summary>
internal sealed class AgreementPolicy(ServerContext server) : IFederationPolicy
{
    public bool MayLink(string peerDomain) => server.Agreements.MayLink(peerDomain);

    public string? StaticAddress(string peerDomain) => server.Agreements.Find(peerDomain)?.Address;

    public int MaxStanzasPerSecond(string peerDomain) => server.Agreements.Find(peerDomain)?.StanzasPerSecond ?? 0;

    public bool RequireCertificate(string peerDomain) => server.Agreements.Find(peerDomain)?.RequireCertificate ?? false;
}
