using Converge.Core.Federation;
using Converge.Xmpp.Federation.Rtbl;
using Converge.Xmpp.Tests.Routing;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>
/// Federation.Rtbl: the server follows a pubsub node of SHA-256 hashed JIDs on a service (as mod_muc_rtbl
/// and mod_antispam do) and drops inbound federation stanzas from listed JIDs and domains.
/// </summary>
public sealed class RealTimeBlocklistTests
{
    private const string Service = "rtbl.test";
    private const string Node = "muc_bans_sha256";
    private static readonly RtblSource Source = new(Service, Node);

    private static InterconnectionAgreement Agreement(string domain) =>
        PeerDoor.Agreement(domain, InterconnectionFeature.Messaging | InterconnectionFeature.Presence | InterconnectionFeature.Subscription);

    // The service's notifications are pubsub events: its agreement grants Pep, as an operator's must.
    private static InterconnectionAgreement ServiceAgreement() =>
        PeerDoor.Agreement(Service, InterconnectionFeature.Messaging | InterconnectionFeature.Pep);

    private static string Event(string inner, string node = Node) =>
        $"<message xmlns='jabber:client' from='{Service}' to='example.test'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='{node}'>{inner}</items></event></message>";

    private static string Message(string from, string body) =>
        $"<message xmlns='jabber:client' type='chat' from='{from}' to='alice@example.test'><body>{body}</body></message>";

    [Fact]
    public async Task A_published_hash_drops_that_jids_stanzas_and_a_retraction_lets_them_through_again()
    {
        await using var server = await TestServer.StartWithRtblAsync(Source);
        PeerDoor.Agree(server, ServiceAgreement(), Agreement("spam.test"));
        await using var alice = await server.LoginAsync("alice", "pc");
        var spammer = RealTimeBlocklists.Hash("spammer@spam.test");

        await PeerDoor.SendAsync(server, Service, Event($"<item id='{spammer}'/>"));
        Assert.Equal(1, server.Server.Context.Rtbl.Count(Source));
        await PeerDoor.SendAsync(server, "spam.test", Message("spammer@spam.test/bot", "listed"));
        await PeerDoor.SendAsync(server, "spam.test", Message("someone@spam.test", "not listed"));
        Assert.Equal("not listed", (await alice.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
        Assert.Equal(1, server.Server.Context.Rtbl.Dropped);

        await PeerDoor.SendAsync(server, Service, Event($"<retract id='{spammer}'/>"));
        await PeerDoor.SendAsync(server, "spam.test", Message("spammer@spam.test", "retracted"));
        Assert.Equal("retracted", (await alice.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task A_hashed_domain_drops_every_user_of_that_domain()
    {
        await using var server = await TestServer.StartWithRtblAsync(Source);
        PeerDoor.Agree(server, ServiceAgreement(), Agreement("spam.test"), Agreement("good.test"));
        await using var alice = await server.LoginAsync("alice", "pc");

        await PeerDoor.SendAsync(server, Service, Event($"<item id='{RealTimeBlocklists.Hash("spam.test")}'/>"));
        await PeerDoor.SendAsync(server, "spam.test", Message("a@spam.test", "1"));
        await PeerDoor.SendAsync(server, "spam.test", "<presence xmlns='jabber:client' type='subscribe' from='b@spam.test' to='alice@example.test'/>");
        await PeerDoor.SendAsync(server, "good.test", Message("friend@good.test", "friend"));

        Assert.Equal("friend@good.test", (await alice.ExpectAsync(e => e.Name is "message" or "presence")).GetAttribute("from"));
        Assert.Equal(2, server.Server.Context.Rtbl.Dropped);
    }

    [Fact]
    public async Task The_items_answer_replaces_the_list()
    {
        await using var server = await TestServer.StartWithRtblAsync(Source);
        PeerDoor.Agree(server, ServiceAgreement(), Agreement("spam.test"));
        await PeerDoor.SendAsync(server, Service, Event($"<item id='{RealTimeBlocklists.Hash("old@spam.test")}'/>"));

        await PeerDoor.SendAsync(server, Service, $"""
            <iq xmlns='jabber:client' type='result' id='rtbl-items-0' from='{Service}' to='example.test'>
              <pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='{Node}'>
                <item id='{RealTimeBlocklists.Hash("a@spam.test")}'/><item id='{RealTimeBlocklists.Hash("b@spam.test").ToUpperInvariant()}'/>
              </items></pubsub>
            </iq>
            """);

        Assert.Equal(2, server.Server.Context.Rtbl.Count(Source));
        await PeerDoor.SendAsync(server, "spam.test", Message("b@spam.test", "x"));
        await PeerDoor.SendAsync(server, "spam.test", Message("old@spam.test", "y"));
        Assert.Equal(1, server.Server.Context.Rtbl.Dropped);
    }

    [Fact]
    public async Task Nobody_but_the_configured_service_and_node_can_change_the_list_and_junk_ids_are_ignored()
    {
        await using var server = await TestServer.StartWithRtblAsync(Source);
        PeerDoor.Agree(server, ServiceAgreement(), Agreement("spam.test"), PeerDoor.Agreement("other.test", InterconnectionFeature.Messaging | InterconnectionFeature.Pep));
        var victim = RealTimeBlocklists.Hash("victim@other.test");

        // Another domain, a user of the service's domain, another node of the service, ids that are no hash.
        await PeerDoor.SendAsync(server, "other.test", Event($"<item id='{victim}'/>").Replace($"from='{Service}'", "from='other.test'", StringComparison.Ordinal));
        await PeerDoor.SendAsync(server, Service, Event($"<item id='{victim}'/>").Replace($"from='{Service}'", $"from='user@{Service}'", StringComparison.Ordinal));
        await PeerDoor.SendAsync(server, Service, Event($"<item id='{victim}'/>", node: "other_node"));
        await PeerDoor.SendAsync(server, Service, Event("<item id='victim@other.test'/><item id='zz'/>"));

        Assert.Equal(0, server.Server.Context.Rtbl.Count(Source));
    }

    [Fact]
    public async Task Without_a_configured_list_nothing_is_dropped_and_events_are_not_taken()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, ServiceAgreement(), Agreement("spam.test"));
        await using var alice = await server.LoginAsync("alice", "pc");
        await PeerDoor.SendAsync(server, Service, Event($"<item id='{RealTimeBlocklists.Hash("spammer@spam.test")}'/>"));
        await PeerDoor.SendAsync(server, "spam.test", Message("spammer@spam.test", "hi"));

        Assert.Equal("hi", (await alice.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
        Assert.Equal(0, server.Server.Context.Rtbl.Dropped);
    }
}
