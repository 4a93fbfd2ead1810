using System.Globalization;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Seed 000's normal flow between two Converge providers over a real server-to-server link (TLS + dialback).</summary>
public sealed class InterconnectionTests(TwoProviders providers) : IClassFixture<TwoProviders>
{
    private const string Roster = "jabber:iq:roster";

    private FederatedServer A => providers.A;

    private FederatedServer B => providers.B;

    private static bool IsChat(XmlElement e, string from) =>
        e.Name == "message" && (e.GetAttribute("from") ?? "").StartsWith(from, StringComparison.Ordinal) && e.GetAttribute("type") != "error";

    [Fact]
    public async Task Fifty_messages_cross_in_order_and_replies_come_back()
    {
        await using var alice = await A.LoginAsync("alice", "pc");
        await using var bob = await B.LoginAsync("bob", "phone");
        for (var i = 0; i < 50; i++)
        {
            await alice.SendAsync($"<message to='bob@b.test/phone' type='chat' id='m{i}'><body>{i}</body></message>");
        }

        for (var i = 0; i < 50; i++)
        {
            var m = await bob.ExpectAsync(e => IsChat(e, "alice@a.test"));
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), m.ChildText("body", "jabber:client"));
            Assert.Equal("alice@a.test/pc", m.GetAttribute("from"));
        }

        for (var i = 0; i < 5; i++)
        {
            await bob.SendAsync($"<message to='alice@a.test/pc' type='chat'><body>re {i}</body></message>");
        }

        for (var i = 0; i < 5; i++)
        {
            var reply = await alice.ExpectAsync(e => IsChat(e, "bob@b.test"));
            Assert.Equal($"re {i}", reply.ChildText("body", "jabber:client"));
        }

        var a = A.Federation.Snapshot().Single(p => p.Domain == "b.test");
        Assert.Equal(OutboundLinkState.Up, a.Outbound);
        Assert.Equal("dialback", a.OutboundAuthentication);
        Assert.True(a.StanzasOut >= 50, $"A counted {a.StanzasOut} stanzas out");
        Assert.True(a.StanzasIn >= 5, $"A counted {a.StanzasIn} stanzas in");
        Assert.True(B.Federation.Snapshot().Single(p => p.Domain == "a.test").InboundLinks >= 1);
    }

    [Fact]
    public async Task Subscription_is_asked_and_granted_across_and_presence_then_flows_both_ways()
    {
        // carol on both sides: the other tests of this class use alice and bob.
        await using var carolA = await A.LoginAsync("carol", "pc");
        await using var carolB = await B.LoginAsync("carol", "phone");
        await RequestRosterAsync(carolA);
        await RequestRosterAsync(carolB);

        await carolA.SendAsync("<presence to='carol@b.test' type='subscribe'/>");
        var request = await carolB.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe");
        Assert.Equal("carol@a.test", request.GetAttribute("from"));

        // B's carol accepts and asks back (seed 000 step 6).
        await carolB.SendAsync("<presence to='carol@a.test' type='subscribed'/>");
        await carolB.SendAsync("<presence to='carol@a.test' type='subscribe'/>");
        await carolA.ExpectAsync(e => IsPush(e, "carol@b.test", "to"));
        await carolA.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") is null && e.GetAttribute("from") == "carol@b.test/phone");
        await carolA.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe" && e.GetAttribute("from") == "carol@b.test");
        await carolA.SendAsync("<presence to='carol@b.test' type='subscribed'/>");
        await carolB.ExpectAsync(e => IsPush(e, "carol@a.test", "both"));
        await carolB.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") is null && e.GetAttribute("from") == "carol@a.test/pc");

        // A presence change crosses to the contact.
        await carolB.SendAsync("<presence><show>away</show><status>on the train</status></presence>");
        var away = await carolA.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == "carol@b.test/phone" && e.Element("show", "jabber:client") is not null);
        Assert.Equal("on the train", away.ChildText("status", "jabber:client"));
    }

    /// <summary>Roster pushes go only to resources that asked for the roster (RFC 6121 §2.1.6).</summary>
    private static async Task RequestRosterAsync(TestClient client)
    {
        await client.SendAsync("<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>");
        await client.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == "roster1");
    }

    private static bool IsPush(XmlElement e, string jid, string subscription) =>
        e.Name == "iq" && e.GetAttribute("type") == "set"
        && e.Element("query", Roster)?.Element("item", Roster) is { } item
        && item.GetAttribute("jid") == jid && item.GetAttribute("subscription") == subscription;
}
