using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>The server-wide domain blocklist at the link layer: a listed peer is refused at its stream header, existing links end, nothing is sent to it.</summary>
public sealed class DomainBlocklistLinkTests
{
    [Fact]
    public async Task A_listed_domain_with_an_agreement_is_cut_off_at_its_stream_header()
    {
        await using var b = await FederatedServer.StartAsync("b.test");
        b.Policy.Allow("c.test", null);
        await b.Stores.DomainBlocks.AddAsync("c.test", DateTimeOffset.UtcNow);
        await b.Server.Context.DomainBlocks.ReloadAsync(CancellationToken.None);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);

        var (_, features) = await peer.OpenAsync("c.test", "b.test");

        Assert.Equal("error", features.Name);
        Assert.Equal("not-authorized", features.FirstElement()!.Name);
    }

    [Fact]
    public async Task Listing_a_linked_peer_ends_its_links_both_ways_and_our_users_messages_no_longer_go_out()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");
        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>before</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");
        await bob.SendAsync("<message to='alice@a.test' type='chat'><body>reply</body></message>");
        await alice.ExpectAsync(e => e.Name == "message");

        // Listed at A by the store alone (as the CLI does): A's poller applies it and ends the links.
        await a.Stores.DomainBlocks.AddAsync("b.test", DateTimeOffset.UtcNow);
        await AgreementLinkTests.WaitUntilAsync(() => a.Federation.Snapshot().All(p => p.Domain != "b.test" || (p.InboundLinks == 0 && p.Outbound == OutboundLinkState.Idle)));
        Assert.True(a.Server.Context.DomainBlocks.IsBlocked("b.test"));

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='after'><body>after</body></message>");
        var refused = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "after");
        Assert.Equal("not-allowed", LinkRefusalTests.ErrorOf(refused).Condition);

        // B's users cannot reach A either: A refuses B's new link.
        await bob.SendAsync("<message to='alice@a.test' type='chat' id='in'><body>in</body></message>");
        await alice.ExpectNothingAsync(e => e.Name == "message" && e.GetAttribute("id") == "in", TimeSpan.FromSeconds(1));
    }
}
