using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>Two independent XMPP libraries talking through Converge: @xmpp/client (node) and slixmpp (python).</summary>
public sealed class MixedLibraryTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Xmppjs_alice_and_slixmpp_bob_subscribe_see_presence_and_chat_both_ways()
    {
        await using var bob = PeerScripts.StartPython(
            server, "responder_bob.py", "--bob", PeerScripts.Account("bob"), "--alice", "alice");
        Assert.True(
            await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout),
            $"slixmpp bob did not log in:\n{bob.Output.Text}\n--- server log:\n{server.Log}");

        await using var alice = PeerScripts.StartNode(
            server, "alice_meets_slixmpp_bob.mjs", "--alice", PeerScripts.Account("alice"), "--bob", "bob");

        await ScenarioAssert.PassesAsync(
            alice,
            server,
            output,
            "^LOGIN alice .*tls=true mechanism=SCRAM-SHA-",
            "^ROSTER alice \\(empty\\)$",
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
            "^LOGIN bob .*tls=True mechanism=SCRAM-SHA-",
            "^SUBSCRIBE-REQUEST bob from=alice@localhost$",
            "^SUBSCRIBED bob by=alice$",
            "^PRESENCE bob sees alice available status='alice on node'$",
            "^ORDERED bob received 10 messages in order$",
            "^ROSTER bob alice@localhost=both$",
            "^PASS$");
    }
}
