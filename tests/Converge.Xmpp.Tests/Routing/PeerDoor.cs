using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>Hands stanzas to the router's peer door as an authenticated s2s link would, under agreements set for the test.</summary>
internal static class PeerDoor
{
    public static InterconnectionAgreement Agreement(string domain, InterconnectionFeature features, int interworkingPerMinute = 60, params string[] ranges) =>
        new(domain, null, features, ranges, ExposurePolicy.None, InterworkingPerMinute: interworkingPerMinute);

    public static void Agree(TestServer server, params InterconnectionAgreement[] agreements) =>
        server.Server.Context.Agreements = new AgreementBook(false, agreements, ["+4940"]);

    public static ValueTask SendAsync(TestServer server, string peerDomain, string xml)
    {
        var element = XmlFragment.Parse(xml, new XmlLimits())!;
        Stanza.TryGetKind(element, out var kind);
        return server.Server.Context.Router.FromPeerAsync(
            new Stanza(element, kind, Jid.Parse(element.GetAttribute("from")!), Jid.Parse(element.GetAttribute("to")!)), peerDomain, CancellationToken.None);
    }
}
