using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>The web console in Debian's chromium (puppeteer-core), on a phone-sized screen, as an operator uses it.</summary>
public sealed class ConsoleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_on_a_phone_watches_the_charts_move_under_load_kicks_a_session_and_retries_an_sms_lane()
    {
        // The SMSC is a port nobody listens on: the SMS waits in its lane for the operator to retry it.
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject
            {
                ["Sms"] = new JsonObject
                {
                    ["Smsc"] = $"127.0.0.1:{ConvergeServer.FreeTcpPort()}",
                    ["SystemId"] = "conv",
                    ["Password"] = "secret",
                    ["SourceNumbers"] = new JsonArray("+4940555000"),
                },
            },
        }.StartAsync();
        var token = (await server.RunOperatorCommandAsync("admin", "token", "add", "console"))[^1];
        await using var alice = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("alice"));
        await using var bob = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("bob"));
        await using var load = PeerScripts.StartPython(
            server, "message_load.py", "--sender", PeerScripts.Account("carol"), "--receiver", PeerScripts.Account("dave"), "--sms", "+4915110000055");
        Assert.True(await alice.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), alice.Output.Text);
        Assert.True(await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), bob.Output.Text);
        Assert.True(await load.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), load.Output.Text);

        // Kept as artifacts next to the test binaries.
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "console-screenshots")).FullName;
        var consoleDirectory = Path.Combine(Path.GetDirectoryName(PeerScripts.PythonDirectory)!, "console");
        await using var browser = ChildProcess.Start(
            "node",
            [Path.Combine(consoleDirectory, "console_check.mjs"), "--url", $"http://127.0.0.1:{server.HttpPort}", "--token", token, "--kick", "alice@localhost", "--shots", shots],
            consoleDirectory);

        await ScenarioAssert.PassesAsync(
            browser,
            server,
            output,
            "^WRONG-TOKEN Your token or password was not accepted\\.$",
            "^DASHBOARD sessions=4 domain=localhost$",
            "^CHART local samples=\\d+->\\d+ moved=true busy=true$",
            "^SESSIONS alice@localhost,bob@localhost,carol@localhost,dave@localhost$",
            "^KICKED alice@localhost remaining=bob@localhost,carol@localhost,dave@localhost$",
            "^OUTBOX sms=1,email=0$",
            "^RETRIED lane=carol@localhost \\+4915110000055 notice=Lane carol@localhost \\+4915110000055: 1 waiting messages made due now\\.$",
            "^PHONE every page fits 390 px$",
            "^PASS$");
        await ScenarioAssert.PassesAsync(alice, server, output, "^KICKED condition=policy-violation$");
        Assert.False(bob.HasExited, bob.Output.Text);
        Assert.False(load.HasExited, load.Output.Text);
        foreach (var shot in new[] { "dashboard.png", "sessions.png", "outbox.png", "outbox-retried.png" })
        {
            Assert.True(new FileInfo(Path.Combine(shots, shot)).Length > 0, shot);
        }

        Assert.Contains("Admin API: token:console ended 1 sessions of alice@localhost", server.Log, StringComparison.Ordinal);
        Assert.Contains("Admin API: token:console retried outbox lane carol@localhost +4915110000055 (1 items made due)", server.Log, StringComparison.Ordinal);
    }
}
