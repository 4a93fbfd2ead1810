using Converge.Xmpp.Tests.Federation;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>Inbound s2s links that have not authenticated: bounded per address, and never in agreed peers' places.</summary>
public sealed class InboundStrangerLimitTests
{
    private static Task<FederatedServer> StartBAsync(int maxInbound = 1_000, int maxPerAddress = 20) =>
        FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority],
            maxInbound: maxInbound, maxUnauthenticatedPerAddress: maxPerAddress);

    private static async Task<bool> IsRefusedAsync(FederatedServer b)
    {
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        try
        {
            await peer.OpenAsync("a.test", "b.test");
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            return true; // closed before a stream header was answered
        }
    }

    [Fact]
    public async Task The_third_stranger_from_one_address_is_refused_and_a_proven_peer_holds_no_place()
    {
        await using var b = await StartBAsync(maxPerAddress: 2);
        b.Policy.Allow("a.test", null);

        // a.test proves its domain: from then on its link holds none of the address's places.
        await using var proven = await RawPeer.AuthenticatedAsync(b);
        await using var first = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await first.OpenAsync("a.test", "b.test");
        await using var second = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await second.OpenAsync("a.test", "b.test");
        Assert.Equal(2, b.Federation.UnauthenticatedInbound);

        Assert.True(await IsRefusedAsync(b));

        // A stranger that leaves frees its place.
        await first.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (b.Federation.UnauthenticatedInbound > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the closed stranger's place was never freed");
            await Task.Delay(50);
        }

        Assert.False(await IsRefusedAsync(b));
    }

    [Fact]
    public async Task Authenticated_links_do_not_count_against_the_inbound_limit()
    {
        await using var b = await StartBAsync(maxInbound: 2, maxPerAddress: 0);
        b.Policy.Allow("a.test", null);
        await using var proven = await RawPeer.AuthenticatedAsync(b);

        await using var stranger1 = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await stranger1.OpenAsync("a.test", "b.test");
        await using var stranger2 = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await stranger2.OpenAsync("a.test", "b.test"); // two strangers fit beside the proven link

        Assert.Equal(2, b.Federation.UnauthenticatedInbound);
        Assert.True(await IsRefusedAsync(b)); // a third stranger does not
    }
}
