using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Web;

/// <summary>A real browser-style client library (@xmpp/client) over XMPP over WebSocket with a slixmpp user on TCP.</summary>
public sealed class WebSocketClientsTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Xmppjs_alice_over_websocket_and_slixmpp_bob_over_tcp_subscribe_see_presence_and_chat_both_ways()
    {
        await using var bob = PeerScripts.StartPython(
            server, "responder_bob.py", "--bob", PeerScripts.Account("bob"), "--alice", "alice");
        Assert.True(
            await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout),
            $"slixmpp bob did not log in:\n{bob.Output.Text}\n--- server log:\n{server.Log}");

        await using var alice = PeerScripts.StartNode(
            server, "alice_meets_slixmpp_bob.mjs", "--websocket", server.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--alice", PeerScripts.Account("alice"), "--bob", "bob");

        await ScenarioAssert.PassesAsync(
            alice,
            server,
            output,
            "^LOGIN alice .*mechanism=SCRAM-SHA-1 transport=websocket$",
            "^SUBSCRIBED alice by=bob$",
            "^SUBSCRIBE-REQUEST alice from=bob$",
            "^PRESENCE alice sees bob available status=\"bob on slixmpp\"$",
            "^ROSTER alice bob@localhost=both$",
            "^ORDERED alice received 10 replies in order$",
            "^PRESENCE alice sees bob unavailable",
            "^PASS$");
        await ScenarioAssert.PassesAsync(
            bob,
            server,
            output,
            "^SUBSCRIBE-REQUEST bob from=alice@localhost$",
            "^PRESENCE bob sees alice available status='alice on node'$",
            "^ORDERED bob received 10 messages in order$",
            "^PASS$");
        Assert.Contains("Session alice@localhost/alice-node bound", server.Log, StringComparison.Ordinal);
    }
}
