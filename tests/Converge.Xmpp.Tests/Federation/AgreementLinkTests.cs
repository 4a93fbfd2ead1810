using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Only domains with an agreement get a link, in or out; ending an agreement ends its links.</summary>
public sealed class AgreementLinkTests
{
    /// <summary>B refuses C's link at its stream header (not-authorized): C's users get a permanent error (<see cref="LinkRefusalTests"/>).</summary>
    [Fact]
    public async Task A_provider_without_agreement_cannot_link_in_and_its_users_get_an_error()
    {
        await using var b = await FederatedServer.StartAsync("b.test");
        await using var c = await FederatedServer.StartAsync("c.test");
        c.Policy.Allow("b.test", b.Address); // C would like to; B has no agreement with C
        await using var carol = await c.LoginAsync("carol");
        await using var bob = await b.LoginAsync("bob");

        await carol.SendAsync("<message to='bob@b.test' type='chat' id='x1'><body>hi</body></message>");
        var bounce = await carol.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal(("remote-server-timeout", "cancel"), LinkRefusalTests.ErrorOf(bounce));
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));

        // B keeps no books on strangers.
        Assert.DoesNotContain(b.Federation.Snapshot(), p => p.Domain == "c.test");
    }

    [Fact]
    public async Task A_peer_claiming_a_domain_without_agreement_is_cut_off_at_its_stream_header()
    {
        await using var b = await FederatedServer.StartAsync("b.test");
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);

        var (_, features) = await peer.OpenAsync("c.test", "b.test");

        Assert.Equal("error", features.Name);
        Assert.Equal("not-authorized", features.FirstElement()!.Name);
    }

    [Fact]
    public async Task A_stream_to_a_domain_this_server_does_not_serve_ends_with_host_unknown()
    {
        await using var b = await FederatedServer.StartAsync("b.test");
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);

        var (_, features) = await peer.OpenAsync("a.test", "elsewhere.test");

        Assert.Equal("host-unknown", features.FirstElement()!.Name);
    }

    [Fact]
    public async Task Ending_an_agreement_closes_its_links_and_later_stanzas_bounce()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");
        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>before</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal(1, b.Federation.Snapshot().Single(p => p.Domain == "a.test").InboundLinks);

        b.Policy.Revoke("a.test");
        await b.Federation.ApplyPolicyAsync();
        await WaitUntilAsync(() => b.Federation.Snapshot().Single(p => p.Domain == "a.test").InboundLinks == 0);

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='after'><body>after</body></message>");
        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("after", bounce.GetAttribute("id"));
        Assert.Equal(("remote-server-timeout", "cancel"), LinkRefusalTests.ErrorOf(bounce)); // B refuses A's new link
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
        Assert.True(b.Federation.Snapshot().Single(p => p.Domain == "a.test").LinksRefused >= 1);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "the condition did not become true within 5 s");
    }
}
