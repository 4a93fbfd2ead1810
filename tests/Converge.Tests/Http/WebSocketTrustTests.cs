using System.Net;
using Converge.Http;

namespace Converge.Tests.Http;

/// <summary>When a password may cross a WebSocket: our TLS, loopback, or a trusted proxy that says https.</summary>
public sealed class WebSocketTrustTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");
    private static readonly IPAddress Browser = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress[] Trusted = [Proxy];

    [Fact]
    public void Our_own_tls_is_confidential_from_anywhere() =>
        Assert.True(WebSocketTrust.IsConfidential(true, Browser, [], []));

    [Fact]
    public void Plain_websocket_from_a_remote_address_is_not() =>
        Assert.False(WebSocketTrust.IsConfidential(false, Browser, [], Trusted));

    [Fact]
    public void A_remote_address_saying_https_is_not_believed() =>
        Assert.False(WebSocketTrust.IsConfidential(false, Browser, ["https"], Trusted));

    [Fact]
    public void A_trusted_proxy_saying_https_is_believed() =>
        Assert.True(WebSocketTrust.IsConfidential(false, Proxy, ["https"], Trusted));

    [Fact]
    public void A_trusted_proxy_reached_over_ipv4_mapped_ipv6_is_still_the_proxy() =>
        Assert.True(WebSocketTrust.IsConfidential(false, Proxy.MapToIPv6(), ["HTTPS"], Trusted));

    [Theory]
    [InlineData("")]
    [InlineData("http")]
    [InlineData("https,http")]
    public void A_trusted_proxy_that_does_not_say_https_is_not_confidential(string forwarded) =>
        Assert.False(WebSocketTrust.IsConfidential(false, Proxy, forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries), Trusted));

    [Fact]
    public void Loopback_is_confidential() =>
        Assert.True(WebSocketTrust.IsConfidential(false, IPAddress.Loopback, [], []));

    [Fact]
    public void Ipv6_loopback_is_confidential() =>
        Assert.True(WebSocketTrust.IsConfidential(false, IPAddress.IPv6Loopback, [], []));

    [Fact]
    public void A_local_proxy_saying_the_browser_used_plain_http_is_not_confidential() =>
        Assert.False(WebSocketTrust.IsConfidential(false, IPAddress.Loopback, ["http"], []));

    [Fact]
    public void No_address_is_not_confidential() =>
        Assert.False(WebSocketTrust.IsConfidential(false, null, [], Trusted));
}
