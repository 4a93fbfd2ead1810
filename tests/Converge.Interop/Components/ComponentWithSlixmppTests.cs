using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Components;

/// <summary>External components (XEP-0114) with slixmpp's ComponentXMPP: routed both ways, and only ever speaking for their own domain.</summary>
public sealed class ComponentWithSlixmppTests(ITestOutputHelper output)
{
    private const string Secret = "a-component-secret-for-tests";

    [Fact]
    public async Task A_component_exchanges_stanzas_with_users_and_cannot_speak_for_another_domain_or_connect_without_its_secret()
    {
        var componentPort = ConvergeServer.FreeTcpPort();
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob"],
            ExtraConfig = new JsonObject
            {
                ["Listeners"] = new JsonObject { ["Component"] = $"127.0.0.1:{componentPort}" },
                ["Components"] = new JsonArray(new JsonObject { ["Domain"] = "echo.localhost", ["Secret"] = Secret }),
            },
        }.StartAsync();
        await using var peer = PeerScripts.StartPython(
            server, "component_peer.py",
            "--component-port", componentPort.ToString(CultureInfo.InvariantCulture), "--secret", Secret,
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^COMPONENT echo.localhost connected$",
            "^DISCO items has-component=True$",
            "^COMPONENT got from=alice@localhost to=bot@echo.localhost$",
            "^ALICE got from=bot@echo.localhost body=echo: ping the bot$",
            "^DISCO component identity=\\['Echo'\\]$",
            "^SPOOF as localhost refused=not-allowed$",
            "^SPOOF as evil.example refused=not-allowed$",
            "^SPOOF as conference.localhost refused=not-allowed$",
            "^BOB first=marker from=bot@echo.localhost$",
            "^WRONG-SECRET refused=not-authorized$",
            "^UNKNOWN-DOMAIN refused=host-unknown$",
            "^SECOND-CONNECTION refused=conflict$",
            "^GONE bounce=service-unavailable$",
            "^PASS$");
        Assert.Contains("Component handshake for echo.localhost", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, server.Log, StringComparison.Ordinal);
    }
}
