using System.Text.Json.Nodes;
using Converge.Interop.Sms;
using Converge.Interop.Support;
using Converge.Testing;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>The web console in Debian's chromium (puppeteer-core), on a phone-sized screen, as an operator uses it.</summary>
public sealed class ConsoleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_on_a_phone_watches_the_charts_move_under_load_kicks_a_session_and_retries_an_sms_lane()
    {
        // The SMSC answers every submission with ESME_RTHROTTLED: the SMS waits in its lane, in back-off,
        // for the operator to retry it.
        await using var network = await SmscSimulator.StartAsync();
        await network.AddProviderAsync(SmsWorld.SystemId, SmsWorld.SmppPassword, "+4917000", "+4940555");
        await network.ThrottleAsync(SmsWorld.SystemId, 10_000);
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Sms"] = SmsWorld.SmsSection(network, SmsWorld.SystemId, ["+4940555000"]) },
            ReadyWhen = [SmsWorld.SmppBound(SmsWorld.SystemId)],
        }.StartAsync();
        var token = (await server.RunOperatorCommandAsync("admin", "token", "add", "console"))[^1];
        await using var alice = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("alice"));
        await using var bob = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("bob"));
        await using var load = PeerScripts.StartPython(
            server, "message_load.py", "--sender", PeerScripts.Account("carol"), "--receiver", PeerScripts.Account("dave"), "--sms", "+4915110000055");
        Assert.True(await alice.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), alice.Output.Text);
        Assert.True(await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), bob.Output.Text);
        Assert.True(await load.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), load.Output.Text);

        // The first submission was refused for now: from here on the lane waits out a back-off.
        await server.WaitForLogLineAsync(l => l.Contains("carol@localhost +4915110000055", StringComparison.Ordinal) && l.Contains("retry", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(60), "the throttled SMS's retry");

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
