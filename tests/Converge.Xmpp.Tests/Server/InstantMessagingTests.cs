using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Server;

/// <summary>RFC 6121 behaviour end to end between local users: rosters, subscriptions, presence, messages.</summary>
public sealed class InstantMessagingTests
{
    private const string Roster = "jabber:iq:roster";
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static bool IsPresence(XmlElement e, string type, string fromPrefix) =>
        e.Name == "presence" && e.GetAttribute("type") == type && (e.GetAttribute("from") ?? "").StartsWith(fromPrefix, StringComparison.Ordinal);

    private static bool IsPush(XmlElement e, string jid, string subscription) =>
        e.Name == "iq" && e.GetAttribute("type") == "set"
        && e.Element("query", Roster)?.Element("item", Roster) is { } item
        && item.GetAttribute("jid") == jid && item.GetAttribute("subscription") == subscription;

    private static async Task<XmlElement> GetRosterAsync(TestClient client, string id, string? ver = null)
    {
        var verAttr = ver is null ? "" : $" ver='{ver}'";
        await client.SendAsync($"<iq type='get' id='{id}'><query xmlns='jabber:iq:roster'{verAttr}/></iq>");
        return await client.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == id);
    }

    [Fact]
    public async Task Seed_flow_mutual_subscription_ends_in_both_with_presence_each_way()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await GetRosterAsync(alice, "r1");
        await GetRosterAsync(bob, "r2");

        // Alice asks; her roster shows the pending request.
        await alice.SendAsync("<presence to='bob@example.test' type='subscribe'/>");
        var push = await alice.ExpectAsync(e => IsPush(e, "bob@example.test", "none"));
        Assert.Equal("subscribe", push.Element("query", Roster)!.Element("item", Roster)!.GetAttribute("ask"));

        // Bob's client gets the request from Alice's bare JID, approves and subscribes back (seed 000 step 6).
        var request = await bob.ExpectAsync(e => IsPresence(e, "subscribe", "alice@example.test"));
        Assert.Equal("alice@example.test", request.GetAttribute("from"));
        await bob.SendAsync("<presence to='alice@example.test' type='subscribed'/>");
        await bob.SendAsync("<presence to='alice@example.test' type='subscribe'/>");

        // Alice now sees Bob online and is asked in turn.
        await alice.ExpectAsync(e => IsPush(e, "bob@example.test", "to"));
        await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") is null && e.GetAttribute("from") == "bob@example.test/phone");
        await alice.ExpectAsync(e => IsPresence(e, "subscribe", "bob@example.test"));
        await alice.SendAsync("<presence to='bob@example.test' type='subscribed'/>");
        await alice.ExpectAsync(e => IsPush(e, "bob@example.test", "both"));
        await bob.ExpectAsync(e => IsPush(e, "alice@example.test", "both"));
        await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") is null && e.GetAttribute("from") == "alice@example.test/pc");

        // Presence changes flow to the contact.
        await alice.SendAsync("<presence><show>away</show><status>at lunch</status></presence>");
        var away = await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == "alice@example.test/pc" && e.Element("show", "jabber:client") is not null);
        Assert.Equal("at lunch", away.ChildText("status", "jabber:client"));

        // Going offline is seen as unavailable.
        await alice.SendAsync("</stream:stream>");
        await bob.ExpectAsync(e => IsPresence(e, "unavailable", "alice@example.test/pc"));
    }

    [Fact]
    public async Task Messages_arrive_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        for (var i = 0; i < 50; i++)
        {
            await alice.SendAsync($"<message to='bob@example.test' type='chat'><body>{i}</body></message>");
        }

        for (var i = 0; i < 50; i++)
        {
            var m = await bob.ExpectAsync(e => e.Name == "message");
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ChildText("body", "jabber:client"));
        }
    }

    [Fact]
    public async Task Offline_message_is_delivered_with_delay_at_next_available_presence()
    {
        await using var server = await TestServer.StartAsync();
        await using (var alice = await server.LoginAsync("alice", "pc"))
        {
            await alice.SendAsync("<message to='bob@example.test' type='chat'><body>while you were out</body></message>");
            await alice.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
            await alice.ExpectAsync(e => e.GetAttribute("id") == "sync");
        }

        await using var bob = await server.LoginAsync("bob", "phone", available: false);
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
        await bob.SendAsync("<presence/>");
        var m = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("while you were out", m.ChildText("body", "jabber:client"));
        Assert.NotNull(m.Element("delay", "urn:xmpp:delay")?.GetAttribute("stamp"));

        // Delivered once: not again at the next login.
        await using var bob2 = await server.LoginAsync("bob", "tablet");
        await bob2.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Message_to_unknown_user_bounces_with_service_unavailable()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<message to='nobody@example.test' id='m1'><body>hello?</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("service-unavailable", Stanzas));
    }

    [Fact]
    public async Task Message_to_bare_jid_goes_to_the_highest_priority_resource()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var low = await server.LoginAsync("bob", "low", available: false);
        await using var high = await server.LoginAsync("bob", "high", available: false);
        await low.SendAsync("<presence><priority>1</priority></presence>");
        await high.SendAsync("<presence><priority>5</priority></presence>");
        await high.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == "bob@example.test/high");
        await low.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == "bob@example.test/high");

        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>to the best</body></message>");
        await high.ExpectAsync(e => e.Name == "message");
        await low.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));

        // A full JID reaches exactly that resource.
        await alice.SendAsync("<message to='bob@example.test/low' type='chat'><body>just you</body></message>");
        await low.ExpectAsync(e => e.Name == "message");
    }

    [Fact]
    public async Task Roster_versioning_returns_empty_result_when_current()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='set' id='s1'><query xmlns='jabber:iq:roster'><item jid='carol@example.test' name='Carol'><group>Friends</group></item></query></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "s1" && e.GetAttribute("type") == "result");

        var full = await GetRosterAsync(alice, "g1");
        var query = full.Element("query", Roster)!;
        var ver = query.GetAttribute("ver")!;
        var item = Assert.Single(query.Elements());
        Assert.Equal("Carol", item.GetAttribute("name"));
        Assert.Equal("Friends", item.ChildText("group", Roster));

        var again = await GetRosterAsync(alice, "g2", ver);
        Assert.Null(again.FirstElement());

        await alice.SendAsync("<iq type='set' id='s2'><query xmlns='jabber:iq:roster'><item jid='carol@example.test' subscription='remove'/></query></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "s2" && e.GetAttribute("type") == "result");
        var changed = await GetRosterAsync(alice, "g3", ver);
        Assert.Empty(changed.Element("query", Roster)!.Elements());
    }

    [Fact]
    public async Task Roster_set_with_two_items_is_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='set' id='s1'><query xmlns='jabber:iq:roster'><item jid='a@example.test'/><item jid='b@example.test'/></query></iq>");
        var error = await alice.ExpectAsync(e => e.GetAttribute("id") == "s1");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("bad-request", Stanzas));
    }

    [Fact]
    public async Task Blocked_contact_cannot_message_and_unblocking_restores_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='bob@example.test'/></block></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "b1" && e.GetAttribute("type") == "result");

        await bob.SendAsync("<message to='alice@example.test' type='chat'><body>let me in</body></message>");
        var bounce = await bob.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.NotNull(bounce.Element("error", "jabber:client")!.Element("service-unavailable", Stanzas));
        await alice.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));

        // Alice cannot write to Bob either while she blocks him (XEP-0191 §3.5).
        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>psst</body></message>");
        var refused = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.NotNull(refused.Element("error", "jabber:client")!.Element("blocked", "urn:xmpp:blocking:errors"));

        await alice.SendAsync("<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        var list = await alice.ExpectAsync(e => e.GetAttribute("id") == "l1");
        Assert.Equal("bob@example.test", Assert.Single(list.FirstElement()!.Elements()).GetAttribute("jid"));

        await alice.SendAsync("<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "u1" && e.GetAttribute("type") == "result");
        await bob.SendAsync("<message to='alice@example.test' type='chat'><body>thanks</body></message>");
        var m = await alice.ExpectAsync(e => e.Name == "message");
        Assert.Equal("thanks", m.ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task Vcard_set_by_owner_is_readable_by_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Alice Liddell</FN></vCard></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "v1" && e.GetAttribute("type") == "result");
        await bob.SendAsync("<iq type='get' id='v2' to='alice@example.test'><vCard xmlns='vcard-temp'/></iq>");
        var card = await bob.ExpectAsync(e => e.GetAttribute("id") == "v2");
        Assert.Equal("Alice Liddell", card.Element("vCard", "vcard-temp")!.ChildText("FN", "vcard-temp"));

        await bob.SendAsync("<iq type='set' id='v3' to='alice@example.test'><vCard xmlns='vcard-temp'><FN>Mallory</FN></vCard></iq>");
        var refused = await bob.ExpectAsync(e => e.GetAttribute("id") == "v3");
        Assert.Equal("error", refused.GetAttribute("type"));
    }

    [Fact]
    public async Task Server_disco_lists_the_supported_features()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='get' id='d1' to='example.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = await alice.ExpectAsync(e => e.GetAttribute("id") == "d1");
        var features = info.FirstElement()!.Elements("feature", "http://jabber.org/protocol/disco#info").Select(f => f.GetAttribute("var")).ToList();
        Assert.Contains("urn:xmpp:ping", features);
        Assert.Contains("urn:xmpp:blocking", features);
        Assert.Contains("vcard-temp", features);
        Assert.Contains("msgoffline", features);
    }

    [Fact]
    public async Task Removed_account_loses_its_sessions_within_a_second()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await server.LoginAsync("carol", "pc");
        await server.Stores.Accounts.RemoveAsync(Converge.Core.Addressing.Jid.Parse("carol@example.test"));
        Assert.Equal("not-authorized", await carol.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Account_added_in_the_store_can_log_in_without_restart()
    {
        await using var server = await TestServer.StartAsync();
        await server.Stores.Accounts.CreateAsync(TestServer.NewAccount("dave", "secret-dave"));
        await Task.Delay(1200);
        await using var dave = await server.LoginAsync("dave", "pc");
        Assert.Equal("dave@example.test/pc", dave.Jid);
    }
}
