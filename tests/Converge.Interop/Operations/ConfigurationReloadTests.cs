using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>
/// <c>systemctl reload converge</c> as an operator does it: the configuration file edited, SIGHUP sent
/// to the running server; a changed agreement and a changed client limit apply to sessions that were
/// connected before and stay connected.
/// </summary>
public sealed class ConfigurationReloadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sighup_puts_an_edited_agreement_and_message_limit_in_force_while_slixmpp_sessions_stay_connected()
    {
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject
            {
                ["Agreements"] = new JsonObject
                {
                    ["b.example"] = new JsonObject { ["Address"] = "127.0.0.1:9", ["Features"] = new JsonArray("Presence") },
                },
            },
        }.StartAsync();
        var go = Path.Combine(Path.GetTempPath(), $"converge-reload-{Guid.NewGuid():N}");
        try
        {
            await using var peer = PeerScripts.StartPython(
                server, "sighup_reload.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--go", go);
            Assert.True(await peer.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), peer.Output.Text + "\n--- server log:\n" + server.Log);

            // The edit keeps the file's modification time, so the server's two-second file check cannot
            // see it: only the signal can make the server read the file again.
            var stamp = File.GetLastWriteTimeUtc(server.ConfigPath);
            var config = JsonNode.Parse(await File.ReadAllTextAsync(server.ConfigPath))!.AsObject();
            config["Agreements"]!["b.example"]!["Features"] = new JsonArray("Presence", "Messaging");
            config["Limits"] = new JsonObject { ["Client"] = new JsonObject { ["MessagesPerMinute"] = 4 } };
            await File.WriteAllTextAsync(server.ConfigPath, config.ToJsonString());
            File.SetLastWriteTimeUtc(server.ConfigPath, stamp);

            await server.SignalAsync("HUP");
            await server.WaitForLogLineAsync(
                l => l.Contains("client limits changed in the running server: Limits.Client.MessagesPerMinute 0 -> 4", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30),
                "reload of the limits after SIGHUP");
            await File.WriteAllTextAsync(go, "");

            await ScenarioAssert.PassesAsync(
                peer,
                server,
                output,
                "^LOGIN alice ",
                "^LOGIN bob ",
                "^BEFORE bob@b\\.example condition=not-allowed$",
                "^AFTER bob@b\\.example condition=(?!not-allowed$)",
                "^RATE delivered=after #0,after #1,after #2 refused=policy-violation,policy-violation$",
                "^STILL-CONNECTED alice bob$",
                "^PASS$");
            Assert.Contains("Configuration reloaded: 1 interconnection agreements in force", server.Log, StringComparison.Ordinal);

            // One session each for the whole run: nobody was disconnected and bound again.
            Assert.Single(server.Log.Split('\n'), l => l.Contains("Session alice@localhost/", StringComparison.Ordinal) && l.Contains(" bound from ", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(go);
        }
    }

    [Fact]
    public async Task Sighup_with_a_broken_file_keeps_the_running_configuration_and_the_server()
    {
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Limits"] = new JsonObject { ["Client"] = new JsonObject { ["MessagesPerMinute"] = 7 } } },
        }.StartAsync();
        var stamp = File.GetLastWriteTimeUtc(server.ConfigPath);
        var seen = 0;
        foreach (var broken in new[] { """{ "Domain": "localhost", "Limits": { "Client": { "MessagesPerMinute": -1 } } }""", """{ "Domain": "localhost", "Limits": """ })
        {
            await File.WriteAllTextAsync(server.ConfigPath, broken);
            File.SetLastWriteTimeUtc(server.ConfigPath, stamp);
            await server.SignalAsync("HUP");
            var count = 0;
            var expected = ++seen;
            await server.WaitForLogLineAsync(
                l => l.Contains("Configuration change not applied", StringComparison.Ordinal) && ++count == expected, TimeSpan.FromSeconds(30), $"refused reload #{expected}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var health = await http.GetAsync($"http://127.0.0.1:{server.HttpPort}/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain("client limits changed", server.Log, StringComparison.Ordinal);
    }
}
