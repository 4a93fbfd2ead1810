using Converge.Core.Federation;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Server;

/// <summary>
/// Seed 000's normal flow between two Converge providers over real server-to-server links:
/// add by number, accept and add back, presence both ways, a conversation in order - and the
/// agreement deciding what crosses and what is exposed.
/// </summary>
public sealed class SeedZeroFlowTests : IAsyncLifetime
{
    private const InterconnectionFeature Everything = InterconnectionFeature.Messaging | InterconnectionFeature.Presence
        | InterconnectionFeature.Subscription | InterconnectionFeature.Search | InterconnectionFeature.Sessions;

    private const string BobByNumberAtA = TestServer.BobsNumber + "@a.test";
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestServer.StartAsync("a.test", federation: true, users: ["alice", "carol"]);
        _b = await TestServer.StartAsync("b.test", federation: true, users: ["bob", "dave"]);
        Agree(Everything, new ExposurePolicy(DeviceType: false));
    }

    private void Agree(InterconnectionFeature aToB, ExposurePolicy exposeOfA)
    {
        _a.Server.UpdateAgreements(new AgreementBook(false, [new InterconnectionAgreement("b.test", _b.Server.ServerEndpoint!.ToString(), aToB, ["+49151"], exposeOfA, IncludeSubdomains: true)], ["+4940"]));
        _b.Server.UpdateAgreements(new AgreementBook(false, [new InterconnectionAgreement("a.test", _a.Server.ServerEndpoint!.ToString(), Everything, ["+4940"], ExposurePolicy.None)], ["+49151"]));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static bool IsPush(XmlElement e, string jid, string subscription) =>
        e.Name == "iq" && e.FirstElement()?.FirstElement() is { } item && item.GetAttribute("jid") == jid && item.GetAttribute("subscription") == subscription;

    private static async Task RosterAsync(TestClient c)
    {
        await c.SendAsync("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
        await c.ExpectAsync(e => e.GetAttribute("id") == "roster");
    }

    [Fact]
    public async Task Alice_adds_bob_by_number_across_providers_and_they_converse()
    {
        await using var alice = await _a.LoginAsync("alice", "pc");
        await using var bob = await _b.LoginAsync("bob", "phone");
        await RosterAsync(alice);
        await RosterAsync(bob);

        // Step 2-5: Alice writes Bob's number in her own domain; A recognises B's range and the request crosses.
        await alice.SendAsync($"<presence to='{BobByNumberAtA}' type='subscribe'/>");
        var request = await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe", TimeSpan.FromSeconds(30));
        Assert.Equal("alice@a.test", request.GetAttribute("from"));

        // Step 6: Bob accepts and adds Alice back.
        await bob.SendAsync("<presence to='alice@a.test' type='subscribed'/>");
        await bob.SendAsync("<presence to='alice@a.test' type='subscribe'/>");
        await alice.ExpectAsync(e => IsPush(e, BobByNumberAtA, "to"), TimeSpan.FromSeconds(30));

        // Step 9, first half: Bob's presence reaches Alice as soon as she may see it.
        await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == BobByNumberAtA + "/phone" && e.GetAttribute("type") is null, TimeSpan.FromSeconds(30));
        var back = await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe", TimeSpan.FromSeconds(30));
        Assert.Equal(BobByNumberAtA, back.GetAttribute("from")); // Bob stays under the address Alice used
        await alice.SendAsync($"<presence to='{BobByNumberAtA}' type='subscribed'/>");
        await alice.ExpectAsync(e => IsPush(e, BobByNumberAtA, "both"), TimeSpan.FromSeconds(30));
        await bob.ExpectAsync(e => IsPush(e, "alice@a.test", "both"), TimeSpan.FromSeconds(30));

        // Step 9, second half: Alice's presence reaches Bob.
        await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == "alice@a.test/pc" && e.GetAttribute("type") is null, TimeSpan.FromSeconds(30));

        // Steps 10-14: a conversation both ways, in order.
        for (var i = 0; i < 20; i++)
        {
            await alice.SendAsync($"<message to='{BobByNumberAtA}' type='chat'><body>a{i}</body></message>");
            await bob.SendAsync($"<message to='alice@a.test' type='chat'><body>b{i}</body></message>");
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"a{i}", (await bob.ExpectAsync(e => e.Name == "message", TimeSpan.FromSeconds(30))).ChildText("body", "jabber:client"));
            var m = await alice.ExpectAsync(e => e.Name == "message", TimeSpan.FromSeconds(30));
            Assert.Equal($"b{i}", m.ChildText("body", "jabber:client"));
            Assert.Equal(BobByNumberAtA + "/phone", m.GetAttribute("from"));
        }
    }

    [Fact]
    public async Task A_feature_the_agreement_excludes_is_refused_with_a_clear_error()
    {
        Agree(InterconnectionFeature.Presence | InterconnectionFeature.Subscription, ExposurePolicy.None);
        await using var alice = await _a.LoginAsync("alice", "pc");
        await alice.SendAsync("<message to='bob@b.test' type='chat' id='m1'><body>hello</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        var condition = error.Element("error", "jabber:client")!;
        Assert.NotNull(condition.Element("not-allowed", "urn:ietf:params:xml:ns:xmpp-stanzas"));
        Assert.Contains("does not include Messaging", condition.ChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_type_and_access_network_are_removed_when_not_exposed()
    {
        await using var alice = await _a.LoginAsync("alice", "pc", available: false);
        await using var bob = await _b.LoginAsync("bob", "phone");
        await alice.SendAsync("<presence to='bob@b.test'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://client.example' ver='abc='/>"
            + "<access-network xmlns='urn:converge:access' type='mobile'/><status>directed</status></presence>");
        var presence = await bob.ExpectAsync(e => e.Name == "presence" && e.ChildText("status", "jabber:client") == "directed", TimeSpan.FromSeconds(30));
        Assert.Null(presence.Element("c", "http://jabber.org/protocol/caps"));
        Assert.Null(presence.Element("access-network", "urn:converge:access"));
    }

    [Fact]
    public async Task Search_of_the_peers_directory_needs_the_search_feature()
    {
        Agree(Everything, ExposurePolicy.None);
        await using var alice = await _a.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='set' id='s1' to='search.b.test'><query xmlns='jabber:iq:search'><nick>bob</nick></query></iq>");
        var found = await alice.ExpectAsync(e => e.GetAttribute("id") == "s1", TimeSpan.FromSeconds(30));
        Assert.True(found.GetAttribute("type") == "result", found.ToString());
        Assert.Equal("bob@b.test", Assert.Single(found.FirstElement()!.Elements()).GetAttribute("jid"));

        // B withdraws Search from its agreement with A: the same request is now refused by B.
        _b.Server.UpdateAgreements(new AgreementBook(false, [new InterconnectionAgreement("a.test", _a.Server.ServerEndpoint!.ToString(), InterconnectionFeature.Messaging, ["+4940"], ExposurePolicy.None)], []));
        await alice.SendAsync("<iq type='set' id='s2' to='search.b.test'><query xmlns='jabber:iq:search'><nick>bob</nick></query></iq>");
        var refused = await alice.ExpectAsync(e => e.GetAttribute("id") == "s2", TimeSpan.FromSeconds(30));
        Assert.Equal("error", refused.GetAttribute("type"));
    }
}
