using System.Globalization;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Runs peers/federation/cross_provider.py: a slixmpp user on Converge ("home") and one on the
/// other provider's server ("away") subscribe to each other, exchange presence and chat both ways.
/// Checks the facts it prints, showing every log involved when one is missing.
/// </summary>
internal static class CrossProviderScenario
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static async Task PassesAsync(
        ITestOutputHelper output,
        (int Port, string Domain, string User, string Password) home,
        (int Port, string Domain, string User, string Password) away,
        Func<string> logs)
    {
        var script = Path.Combine(PeerServerFiles.PeersDirectory, "federation", "cross_provider.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, "--home", Account(home), "--away", Account(away)],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        var exitCode = await peer.WaitForExitAsync(Timeout);
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        string Context() => $"\n--- scenario:\n{peer.Output.Text}\n{logs()}";
        Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{Context()}");

        var homeJid = $"{home.User}@{home.Domain}";
        var awayJid = $"{away.User}@{away.Domain}";
        string[] expected =
        [
            "^LOGIN home .*tls=True mechanism=SCRAM-",
            "^LOGIN away .*tls=True mechanism=SCRAM-",
            $"^SUBSCRIBE-REQUEST away from={Regex.Escape(homeJid)}$",
            "^SUBSCRIBED home by=away$",
            $"^SUBSCRIBE-REQUEST home from={Regex.Escape(awayJid)}$",
            "^SUBSCRIBED away by=home$",
            $"^ROSTER home {Regex.Escape(awayJid)}=both$",
            $"^ROSTER away {Regex.Escape(homeJid)}=both$",
            "^PRESENCE home sees away available status='away on the road'$",
            "^PRESENCE away sees home available status='home at her desk'$",
            "^PRESENCE home sees away show=away status='away in a tunnel'$",
            "^ORDERED away received 10 messages from home in order$",
            "^ORDERED home received 10 messages from away in order$",
            "^PRESENCE away sees home unavailable$",
            "^PASS$",
        ];
        var lines = peer.Output.StdoutLines;
        var next = 0;
        foreach (var pattern in expected)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var found = lines.Skip(next).Select((line, index) => (line, index)).FirstOrDefault(l => regex.IsMatch(l.line));
            Assert.True(found.line is not null, $"no line matching /{pattern}/ after line {next}{Context()}");
            next += found.index + 1;
        }
    }

    private static string Account((int Port, string Domain, string User, string Password) a) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{a.Port}:{a.Domain}:{a.User}:{a.Password}");
}
