using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>Spam reports from real slixmpp clients reach the operator's list; the domain blocklist is applied by a running server.</summary>
public sealed class AbuseTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Slixmpp_spam_and_abuse_reports_are_listed_by_converge_report_list()
    {
        await using var peer = PeerScripts.StartPython(server, "spam_report.py", "--alice", PeerScripts.Account("alice"), "--carol", PeerScripts.Account("carol"));
        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^DISCO reporting advertised$",
            "^BLOCKED alice spammer@spam.example with a spam report$",
            "^BLOCKED carol troll@spam.example with an abuse report$",
            "^BLOCKLIST alice holds spammer@spam.example$",
            "^PASS$");

        var lines = await server.RunOperatorCommandAsync("report", "list");
        Assert.Contains(lines, l => l.Contains("spam ", StringComparison.Ordinal) && l.Contains("alice@localhost", StringComparison.Ordinal)
            && l.Contains("spammer@spam.example", StringComparison.Ordinal) && l.EndsWith("Buy cheap pills", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("abuse", StringComparison.Ordinal) && l.Contains("carol@localhost", StringComparison.Ordinal)
            && l.Contains("troll@spam.example", StringComparison.Ordinal) && l.EndsWith("Insults", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_domain_blocked_with_the_cli_is_picked_up_by_the_running_server()
    {
        var added = await server.RunOperatorCommandAsync("block", "domain", "add", "Spam.Example");
        Assert.Equal(["blocked spam.example"], added);

        await server.WaitForLogLineAsync(l => l.Contains("Domain blocklist changed: 1 domains listed", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "blocklist change");
        Assert.Equal(["spam.example"], await server.RunOperatorCommandAsync("block", "domain", "list"));
    }
}
