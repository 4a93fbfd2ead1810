using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Pep;

/// <summary>Entity capabilities computed by @xmpp/client peers: a true hash earns events, a false one does not.</summary>
public sealed class PepCapsWithXmppJsTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task A_client_whose_caps_hash_verifies_gets_the_event_and_one_whose_hash_lies_does_not()
    {
        await using var peer = PeerScripts.StartNode(
            server, "pep_caps.mjs", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--dave", PeerScripts.Account("dave"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^SUBSCRIBED bob,dave to alice$",
            "^CAPS asked bob,dave$",
            "^EVENT bob mood=curious$",
            "^NO-EVENT dave \\(caps hash mismatch\\)$",
            "^PASS$");
        Assert.Contains("do not verify", server.Log, StringComparison.Ordinal);
    }
}
