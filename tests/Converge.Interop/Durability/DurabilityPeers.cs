using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Durability;

/// <summary>
/// Starts the durability scenario scripts under peers/ against any port (the server's, or a
/// <see cref="FlakyLink"/> in front of it) and reads back what they printed.
/// </summary>
internal static class DurabilityPeers
{
    private const string DebianPython = "/usr/bin/python3";

    // Generous: thousands of resent messages on a machine shared with other builds can take minutes (a pass takes seconds).
    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(240);

    private static readonly string PeersDirectory = typeof(DurabilityPeers).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PeersDirectory").Value!;

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static string Account(string user) => PeerScripts.Account(user);

    public static ChildProcess StartPython(int port, string script, params string[] arguments) =>
        ChildProcess.Start(
            DebianPython,
            [Path.Combine(PeersDirectory, "python", script), "--host", "127.0.0.1", "--port", Port(port), "--domain", ConvergeServer.Domain, .. arguments],
            Path.Combine(PeersDirectory, "python"),
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" },
            redirectStdin: true);

    public static ChildProcess StartNode(int port, string script, params string[] arguments) =>
        ChildProcess.Start(
            "node",
            ["--experimental-websocket", Path.Combine(PeersDirectory, "node", script), "--host", "127.0.0.1", "--port", Port(port), "--domain", ConvergeServer.Domain, .. arguments],
            Path.Combine(PeersDirectory, "node"),
            new Dictionary<string, string> { ["NODE_TLS_REJECT_UNAUTHORIZED"] = "0" },
            redirectStdin: true);

    /// <summary>Waits for a stdout line equal to <paramref name="line"/>; fails with both sides' output if it does not come.</summary>
    public static async Task ExpectLineAsync(ChildProcess peer, ConvergeServer server, string line)
    {
        Assert.True(
            await peer.WaitForLineAsync(line, ScenarioTimeout),
            $"the peer did not print {line}{Context(peer, server)}");
    }

    /// <summary>Waits for the script to finish and requires exit code 0 and a final PASS.</summary>
    public static async Task<IReadOnlyList<string>> FinishesAsync(ChildProcess peer, ConvergeServer server, ITestOutputHelper output)
    {
        var exitCode = await peer.WaitForExitAsync(ScenarioTimeout);
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        Assert.True(exitCode == 0, $"the peer script exited with {exitCode}{Context(peer, server)}");
        var lines = peer.Output.StdoutLines;
        Assert.True(lines.Count > 0 && lines[^1] == "PASS", $"the peer script did not end with PASS{Context(peer, server)}");
        return lines;
    }

    /// <summary>The captured group of every stdout line matching <paramref name="pattern"/>, in order.</summary>
    public static List<string> Values(IEnumerable<string> lines, string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        return [.. lines.Select(l => regex.Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];
    }

    /// <summary>The single stdout line matching <paramref name="pattern"/>.</summary>
    public static Match Single(IEnumerable<string> lines, string pattern, ChildProcess peer, ConvergeServer server)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var matches = lines.Select(l => regex.Match(l)).Where(m => m.Success).ToList();
        Assert.True(matches.Count == 1, $"expected one stdout line matching /{pattern}/, found {matches.Count}{Context(peer, server)}");
        return matches[0];
    }

    /// <summary>Stdout lines matching each pattern, in this order (other lines may come between).</summary>
    public static void InOrder(IReadOnlyList<string> lines, IEnumerable<string> patterns, ChildProcess peer, ConvergeServer server)
    {
        var next = 0;
        foreach (var pattern in patterns)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var found = lines.Skip(next).Select((line, index) => (line, index)).FirstOrDefault(l => regex.IsMatch(l.line));
            Assert.True(found.line is not null, $"no stdout line matching /{pattern}/ after line {next}{Context(peer, server)}");
            next += found.index + 1;
        }
    }

    public static string Context(ChildProcess peer, ConvergeServer server) =>
        $"\n--- peer: {peer.Description}\n{peer.Output.Text}\n--- server log:\n{server.Log}";
}
