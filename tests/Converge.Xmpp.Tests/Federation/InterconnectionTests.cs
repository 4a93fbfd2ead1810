using System.Globalization;
using Converge.Xmpp.Federation;
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
}
