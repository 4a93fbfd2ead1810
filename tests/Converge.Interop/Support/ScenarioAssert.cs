using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Converge.Interop.Support;

/// <summary>
/// Checks a finished peer script: exit code 0 and, in order, stdout lines matching the given
/// patterns. Failure messages carry the peer's whole output and the server's log.
/// </summary>
internal static class ScenarioAssert
{
    public static async Task PassesAsync(
        ChildProcess peer, ConvergeServer server, ITestOutputHelper output, params string[] expectedLinePatterns)
    {
        var exitCode = await peer.WaitForExitAsync(PeerScripts.ScenarioTimeout);
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");

        var context = $"\n--- peer: {peer.Description}\n{peer.Output.Text}\n--- server log:\n{server.Log}";
        Assert.True(exitCode == 0, $"the peer script exited with {exitCode}{context}");

        var lines = peer.Output.StdoutLines;
        var next = 0;
        foreach (var pattern in expectedLinePatterns)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var found = lines.Skip(next).Select((line, index) => (line, index)).FirstOrDefault(l => regex.IsMatch(l.line));
            Assert.True(found.line is not null, $"no stdout line matching /{pattern}/ after line {next}{context}");
            next += found.index + 1;
        }
    }
}
