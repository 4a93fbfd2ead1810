using System.Reflection;

namespace Converge.Interop.Support;

/// <summary>
/// Starts the scenario scripts under peers/ (slixmpp under Debian's python, @xmpp/client under node)
/// against a <see cref="ConvergeServer"/>. scripts/install-test-deps.sh installs what they need.
/// </summary>
internal static class PeerScripts
{
    /// <summary>Debian's interpreter: a python on PATH may be a build without Debian's slixmpp.</summary>
    private const string DebianPython = "/usr/bin/python3";

    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(120);

    private static readonly string PeersDirectory = typeof(PeerScripts).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PeersDirectory").Value!;

    /// <summary>Where the slixmpp scripts are; the other peer folders are its siblings.</summary>
    public static string PythonDirectory => Path.Combine(PeersDirectory, "python");

    /// <summary>The <c>localpart:password</c> argument the scripts take for a provisioned user.</summary>
    public static string Account(string user) => $"{user}:{ConvergeServer.Password}";

    public static ChildProcess StartPython(ConvergeServer server, string script, params string[] arguments) =>
        ChildProcess.Start(
            DebianPython,
            [Path.Combine(PeersDirectory, "python", script), .. ServerArguments(server), .. arguments],
            Path.Combine(PeersDirectory, "python"),
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" },
            redirectStdin: true);

    public static ChildProcess StartNode(ConvergeServer server, string script, params string[] arguments) =>
        ChildProcess.Start(
            "node",
            // Node 20 has the WebSocket @xmpp/websocket needs only behind this flag (later versions by default).
            ["--experimental-websocket", Path.Combine(PeersDirectory, "node", script), .. ServerArguments(server), .. arguments],
            Path.Combine(PeersDirectory, "node"),
            // The test server's certificate is self-signed.
            new Dictionary<string, string> { ["NODE_TLS_REJECT_UNAUTHORIZED"] = "0" });

    private static string[] ServerArguments(ConvergeServer server) =>
        ["--host", "127.0.0.1", "--port", server.ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--domain", ConvergeServer.Domain];
}
