using Converge.Core.Federation;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// What a peer's stanza may do once its link has vouched for its domain. The stanzas enter through
/// the router's peer door; whatever the router sends back out is caught on route/remote in front of
/// the federation handler (the interop tests in Trust/ do the same with real peers).
/// </summary>
public sealed class PeerInboundPolicyTests
{
    private const string Peer = "b.test";
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static async Task<(TestServer Server, List<XmlElement> Out)> StartAsync(params InterconnectionAgreement[] agreements)
    {
        var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, agreements);
        var sent = new List<XmlElement>();
        server.Server.Context.Events.Hook(RoutingEventNames.RouteRemote, RoutePriority.Delivery + 1, "test: what leaves", (routed, _) =>
        {
            lock (sent)
            {
                sent.Add(routed.Stanza.Element);
            }

            return ValueTask.FromResult(true);
        });
        return (server, sent);
    }

    private static InterconnectionAgreement Agreement(string domain, InterconnectionFeature features, params string[] ranges) =>
        PeerDoor.Agreement(domain, features, 60, ranges);

    private static ValueTask FromPeerAsync(TestServer server, string xml) => PeerDoor.SendAsync(server, Peer, xml);

    private static string? Condition(XmlElement reply) => reply.Element("error", "jabber:client")?.Elements().FirstOrDefault(e => e.Namespace == Stanzas)?.Name;

    [Fact]
    public async Task Without_presence_or_subscription_a_peer_cannot_tell_an_account_from_no_account()
    {
        var (server, sent) = await StartAsync(Agreement(Peer, InterconnectionFeature.Messaging));
        await using var _ = server;
        await FromPeerAsync(server, "<iq xmlns='jabber:client' type='get' id='a' from='eve@b.test/x' to='alice@example.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        await FromPeerAsync(server, "<iq xmlns='jabber:client' type='get' id='z' from='eve@b.test/x' to='zed@example.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

        Assert.Equal(2, sent.Count);
        Assert.All(sent, reply => Assert.Equal(("error", "service-unavailable"), (reply.GetAttribute("type"), Condition(reply))));
    }

    [Fact]
    public async Task With_presence_the_same_request_is_answered_for_an_account()
    {
        var (server, sent) = await StartAsync(Agreement(Peer, InterconnectionFeature.Messaging | InterconnectionFeature.Presence));
        await using var _ = server;
        await FromPeerAsync(server, "<iq xmlns='jabber:client' type='get' id='a' from='eve@b.test/x' to='alice@example.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal("result", Assert.Single(sent).GetAttribute("type"));
    }

    [Fact]
    public async Task A_peer_stanza_for_a_number_in_another_peers_range_is_refused_and_never_forwarded()
    {
        var (server, sent) = await StartAsync(
            Agreement(Peer, InterconnectionFeature.Messaging),
            Agreement("c.test", InterconnectionFeature.Messaging, "+4930"));
        await using var _ = server;
        await FromPeerAsync(server, "<message xmlns='jabber:client' type='chat' id='t' from='bob@b.test/x' to='+4930123456@example.test'><body>relay me</body></message>");

        var reply = Assert.Single(sent);
        Assert.Equal("bob@b.test/x", reply.GetAttribute("to"));
        Assert.Equal("+4930123456@example.test", reply.GetAttribute("from")); // the address bob wrote, not c.test's
        Assert.Equal("not-allowed", Condition(reply));
        Assert.DoesNotContain(sent, s => s.GetAttribute("to")?.EndsWith("c.test", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_peers_number_is_shown_under_our_domain_but_never_as_one_of_our_subscribers()
    {
        var (server, _) = await StartAsync(Agreement(Peer, InterconnectionFeature.Messaging, "+49151"));
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var __ = server;

        await FromPeerAsync(server, "<message xmlns='jabber:client' type='chat' from='+4915199990001@b.test/x' to='alice@example.test'><body>one</body></message>");
        Assert.Equal("+4915199990001@example.test/x", (await alice.ExpectAsync(e => e.Name == "message")).GetAttribute("from"));

        // Bob's number lies in the peer's range too; a peer speaking as it stays on the peer's domain.
        await FromPeerAsync(server, $"<message xmlns='jabber:client' type='chat' from='{TestServer.BobsNumber}@b.test/x' to='alice@example.test'><body>two</body></message>");
        Assert.Equal($"{TestServer.BobsNumber}@b.test/x", (await alice.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "two")).GetAttribute("from"));
    }
}
