using System.Globalization;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Runs peers/federation/unsolicited_replies.py: a user of the other provider's server sends a
/// Converge user an IQ result and an error message that answer nothing, then a chat message; the
/// Converge user must receive only the chat message. Checks too that the stanzas did reach
/// Converge and that its link is what dropped them.
/// </summary>
internal static class UnsolicitedRepliesScenario
{
    public static async Task PassesAsync(ITestOutputHelper output, ConvergeServer converge, string homeUser, (int Port, string Domain, string User) away)
    {
        var script = Path.Combine(PeerServerFiles.PeersDirectory, "federation", "unsolicited_replies.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, "--home", Account(converge.ClientPort, converge.XmppDomain, homeUser), "--away", Account(away.Port, away.Domain, away.User)],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        await ScenarioAssert.PassesAsync(
            peer,
            converge,
            output,
            $"^ANSWERED home disco#info from {Regex.Escape(away.Domain)} with \\d+ features$",
            "^SENT away an iq result and an error message",
            "^ONLY home received only the chat message$",
            "^PASS$");

        // The other server did send them: Converge's link is what dropped them, each with its reason.
        Assert.Contains($"Dropped <iq type='result' id='never-asked'/> from {away.User}@{away.Domain}", converge.Log, StringComparison.Ordinal);
        Assert.Contains($"Dropped <message type='error' id='never-sent'/> from {away.User}@{away.Domain}", converge.Log, StringComparison.Ordinal);
    }

    private static string Account(int port, string domain, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:{domain}:{user}:{ConvergeServer.Password}");
}
