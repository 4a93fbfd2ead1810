using System.Net;
using System.Net.WebSockets;
using System.Text;
using Converge.Interop.Support;

namespace Converge.Interop.Web;

/// <summary>
/// The WebSocket door (RFC 7395) against clients that break the framing, and the rule that a password
/// never crosses an unencrypted WebSocket except where the operator said the connection is protected.
/// </summary>
public sealed class HostileWebSocketTests(ConvergeServer server) : IClassFixture<ConvergeServer>
{
    private const string Open = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>";

    [Fact]
    public async Task A_stream_opens_with_open_and_each_message_is_one_standalone_element()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        Assert.Equal("xmpp", ws.SubProtocol);
        var (open, features) = await ws.OpenAsync();

        Assert.StartsWith("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'", open, StringComparison.Ordinal);
        Assert.Contains("from='localhost'", open, StringComparison.Ordinal);
        Assert.Contains("version='1.0'", open, StringComparison.Ordinal);
        // Every message declares its namespaces; no STARTTLS on a WebSocket; loopback counts as protected.
        Assert.StartsWith("<stream:features xmlns:stream='http://etherx.jabber.org/streams'", features, StringComparison.Ordinal);
        Assert.DoesNotContain("starttls", features, StringComparison.Ordinal);
        Assert.Contains("<mechanism>PLAIN</mechanism>", features, StringComparison.Ordinal);

        await ws.SendAsync("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        var rest = await ws.ReceiveUntilClosedAsync();
        Assert.Equal(["<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"], rest);
    }

    [Fact]
    public async Task Two_elements_in_one_message_end_the_stream_with_bad_format()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.OpenAsync();
        await ws.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth><iq xmlns='jabber:client' type='get' id='1'/>");

        var rest = await ws.ReceiveUntilClosedAsync();
        AssertStreamError(rest, "bad-format");
        Assert.DoesNotContain(rest, m => m.Contains("<success", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_before_open_ends_the_stream_with_bad_format()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>");

        var rest = await ws.ReceiveUntilClosedAsync();
        AssertStreamError(rest, "bad-format");
        Assert.DoesNotContain(rest, m => m.Contains("<success", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_over_the_stanza_size_limit_ends_the_stream_with_policy_violation()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.OpenAsync();
        var huge = "<message xmlns='jabber:client' to='bob@localhost'><body>" + new string('x', 300 * 1024) + "</body></message>";
        await ws.SendAsync(huge);

        AssertStreamError(await ws.ReceiveUntilClosedAsync(), "policy-violation");
    }

    [Fact]
    public async Task A_binary_message_ends_the_stream()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.OpenAsync();
        await ws.SendAsync(Encoding.UTF8.GetBytes(Open), WebSocketMessageType.Binary);

        AssertStreamError(await ws.ReceiveUntilClosedAsync(), "unsupported-encoding");
    }

    [Fact]
    public async Task Half_an_element_in_a_message_ends_the_stream()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.OpenAsync();
        await ws.SendAsync("<iq xmlns='jabber:client' type='get' id='1'>");

        AssertStreamError(await ws.ReceiveUntilClosedAsync(), "bad-format");
    }

    [Fact]
    public async Task A_handshake_without_the_xmpp_subprotocol_is_refused()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => RawWebSocket.ConnectAsync(server.HttpPort, subProtocol: null));
        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_websocket_on_loopback_authenticates()
    {
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort);
        await ws.OpenAsync();
        await ws.SendAsync(PlainAuth("alice"));

        Assert.Equal("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", await ws.ReceiveAsync());
    }

    [Fact]
    public async Task A_local_proxy_saying_the_browser_side_was_plain_http_gets_encryption_required_and_no_session()
    {
        // What a non-loopback ws:// client also gets: the proxy's X-Forwarded-Proto: http says the
        // password would have crossed the network in the clear.
        await using var ws = await RawWebSocket.ConnectAsync(server.HttpPort, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "http" });
        var (_, features) = await ws.OpenAsync();
        Assert.DoesNotContain("<mechanism>PLAIN</mechanism>", features, StringComparison.Ordinal);

        await ws.SendAsync(PlainAuth("alice"));
        var answer = await ws.ReceiveAsync();
        Assert.NotNull(answer);
        Assert.Contains("<encryption-required/>", answer, StringComparison.Ordinal);

        await ws.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPWFiY2RlZmdoaWprbG1ub3A=</auth>");
        var second = await ws.ReceiveAsync();
        Assert.NotNull(second);
        Assert.Contains("<encryption-required/>", second, StringComparison.Ordinal);
    }

    private static string PlainAuth(string user) =>
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
        + Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{ConvergeServer.Password}")) + "</auth>";

    private void AssertStreamError(List<string> messages, string condition)
    {
        var all = string.Join("\n", messages);
        Assert.True(messages.Count >= 2, $"expected a stream error and <close/>, got:\n{all}\n--- server log:\n{server.Log}");
        Assert.Contains($"<{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>", messages[^2], StringComparison.Ordinal);
        Assert.StartsWith("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>", messages[^2], StringComparison.Ordinal);
        Assert.Equal("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>", messages[^1]);
    }
}
