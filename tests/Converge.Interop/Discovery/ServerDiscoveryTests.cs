using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Discovery;

/// <summary>XEP-0157 contact addresses and XEP-0215 STUN/TURN discovery, read by slixmpp and TURN credentials checked as coturn would.</summary>
public sealed class ServerDiscoveryTests(ITestOutputHelper output)
{
    private const string TurnSecret = "coturn-static-auth-secret";

    [Fact]
    public async Task A_client_finds_the_contact_addresses_and_stun_turn_services_with_credentials_a_turn_server_accepts()
    {
        await using var server = await new ConvergeServer
        {
            Users = ["alice"],
            ExtraConfig = new JsonObject
            {
                ["ContactAddresses"] = new JsonObject
                {
                    ["Abuse"] = new JsonArray("mailto:abuse@localhost"),
                    ["Security"] = new JsonArray("xmpp:security@localhost", "https://localhost/security"),
                },
                ["ExternalServices"] = new JsonObject
                {
                    ["CredentialLifetime"] = "06:00:00",
                    ["Services"] = new JsonArray(
                        new JsonObject { ["Host"] = "stun.localhost", ["Port"] = 3478, ["Type"] = "stun", ["Transport"] = "udp" },
                        new JsonObject { ["Host"] = "turn.localhost", ["Port"] = 3478, ["Type"] = "turn", ["Transport"] = "udp", ["Secret"] = TurnSecret }),
                },
            },
        }.StartAsync();
        await using var peer = PeerScripts.StartPython(server, "server_discovery.py", "--alice", PeerScripts.Account("alice"), "--turn-secret", TurnSecret);

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^CONTACT abuse-addresses=mailto:abuse@localhost$",
            "^CONTACT security-addresses=xmpp:security@localhost,https://localhost/security$",
            "^FEATURE extdisco=True$",
            "^SERVICE stun stun.localhost:3478/udp restricted=None$",
            "^SERVICE turn turn.localhost:3478/udp restricted=1$",
            "^CREDENTIALS user=alice@localhost hmac-ok=True expires-in-hours=6 expires-attr=True$",
            "^FILTER stun=\\['stun.localhost'\\]$",
            "^CREDENTIALS-IQ user=alice@localhost$",
            "^UNKNOWN refused=item-not-found$",
            "^PASS$");
        Assert.DoesNotContain(TurnSecret, server.Log, StringComparison.Ordinal);
    }
}
