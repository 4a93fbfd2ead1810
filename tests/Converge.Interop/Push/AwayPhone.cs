using System.Text.RegularExpressions;
using Converge.Interop.Durability;
using Converge.Interop.Support;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Push;

/// <summary>
/// The driver's side of alice's phone going away in the push scenarios: when the script prints CUT-ME
/// the phone's link is cut; the script is told DETACHED once the server keeps the session for
/// resumption, and ENDED once the resumption window has passed and the session ended.
/// </summary>
internal static class AwayPhone
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    public static async Task CutDetachAndEndAsync(ChildProcess peer, ConvergeServer server, FlakyLink link)
    {
        await ExpectLineAsync(peer, server, "CUT-ME");
        await link.CutAsync();
        await server.WaitForLogLineAsync(
            l => l.Contains("Session alice@localhost/phone lost its connection; kept for resumption", StringComparison.Ordinal), EventTimeout, "detached session for alice's phone");
        await peer.WriteLineAsync("DETACHED");

        await server.WaitForLogLineAsync(l => Regex.IsMatch(l, "Session alice@localhost/phone ended"), EventTimeout, "end of alice's phone session");
        await peer.WriteLineAsync("ENDED");
    }
}
