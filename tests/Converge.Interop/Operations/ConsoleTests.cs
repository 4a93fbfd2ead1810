using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>The web console in Debian's chromium (puppeteer-core), on a phone-sized screen, as an operator uses it.</summary>
public sealed class ConsoleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_logs_in_sees_the_dashboard_kicks_a_session_and_opens_the_outbox()
    {
        await using var server = await new ConvergeServer().StartAsync();
        var token = (await server.RunOperatorCommandAsync("admin", "token", "add", "console"))[^1];
        await using var alice = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("alice"));
        await using var bob = PeerScripts.StartPython(server, "kicked_session.py", "--user", PeerScripts.Account("bob"));
        Assert.True(await alice.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), alice.Output.Text);
        Assert.True(await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), bob.Output.Text);

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
            "^DASHBOARD sessions=2 domain=localhost$",
            "^SESSIONS alice@localhost,bob@localhost$",
            "^KICKED alice@localhost remaining=bob@localhost$",
            "^OUTBOX sms=0,email=0$",
            "^PASS$");
        await ScenarioAssert.PassesAsync(alice, server, output, "^KICKED condition=policy-violation$");
        Assert.False(bob.HasExited, bob.Output.Text);
        Assert.True(File.Exists(Path.Combine(shots, "dashboard.png")));
        Assert.Contains("Admin API: token:console ended 1 sessions of alice@localhost", server.Log, StringComparison.Ordinal);
    }
}
