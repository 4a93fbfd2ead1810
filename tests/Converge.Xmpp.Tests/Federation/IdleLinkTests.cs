using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Idle links close, from either side, without losing what follows: the next stanza opens a new link.</summary>
public sealed class IdleLinkTests
{
    [Fact]
    public async Task An_idle_outbound_link_closes_and_opens_again_when_needed()
    {
        await using var a = await FederatedServer.StartAsync("a.test", idleTimeout: TimeSpan.FromMilliseconds(300));
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>one</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");
        await AgreementLinkTests.WaitUntilAsync(() => a.Federation.Snapshot().Single(p => p.Domain == "b.test").Outbound == OutboundLinkState.Idle);
        await AgreementLinkTests.WaitUntilAsync(() => b.Federation.Snapshot().Single(p => p.Domain == "a.test").InboundLinks == 0);

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>two</body></message>");
        var second = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("two", second.ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task When_the_receiving_side_closes_an_idle_link_the_sender_notices_and_reconnects_for_the_next_stanza()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test", idleTimeout: TimeSpan.FromMilliseconds(300));
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>one</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");
        await AgreementLinkTests.WaitUntilAsync(() => b.Federation.Snapshot().Single(p => p.Domain == "a.test").InboundLinks == 0);
        await AgreementLinkTests.WaitUntilAsync(() => a.Federation.Snapshot().Single(p => p.Domain == "b.test").Outbound == OutboundLinkState.Idle);

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>two</body></message>");
        var second = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("two", second.ChildText("body", "jabber:client"));
        Assert.Equal(0, a.Federation.Snapshot().Single(p => p.Domain == "b.test").Bounced);
    }
}
