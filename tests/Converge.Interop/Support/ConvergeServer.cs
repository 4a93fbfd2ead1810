using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Converge.Interop.Support;

/// <summary>
/// A real Converge server run as an operator would: its own data directory and loopback ports, a
/// configuration file, users provisioned with the real <c>converge user add</c> CLI, then
/// <c>converge serve</c> as a child process. A test class shares one as a fixture; a test that kills
/// it (SIGKILL) and starts it again on the same data directory and ports owns one (<see cref="StartAsync"/>).
/// </summary>
public sealed class ConvergeServer : IAsyncLifetime, IAsyncDisposable
{
    public const string Domain = "localhost";

    public const string Password = "secret";

    /// <summary>The accounts a server starts with unless a test names others, all with <see cref="Password"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultUsers = ["alice", "bob", "carol", "dave"];

    // Generous: two cores shared with other test runs, and a federation test starts third-party servers alongside.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _earlierRuns = new();
    private DirectoryInfo? _directory;
    private ChildProcess? _server;

    public int ClientPort { get; private set; }

    public int ClientDirectTlsPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>
    /// The server-to-server listener's port, or null for no listener. A federation test picks it
    /// (<see cref="FreeTcpPort"/>) before any server starts, so that each agreement can name its peer's.
    /// </summary>
    public int? ServerToServerPort { get; init; }

    public string ConfigPath { get; private set; } = "";

    /// <summary>The XMPP domain this server serves (and its users are added in); <see cref="Domain"/> unless a test runs several providers.</summary>
    public string XmppDomain { get; init; } = Domain;

    /// <summary>The local parts provisioned before the server starts; the first one's run creates the schema.</summary>
    public IReadOnlyList<string> Users { get; init; } = DefaultUsers;

    /// <summary>
    /// Merged into the generated configuration before the server starts: objects key by key,
    /// anything else replaced (e.g. an <c>Email</c> or <c>Sms</c> section, or a listener turned off).
    /// </summary>
    public JsonObject? ExtraConfig { get; init; }

    /// <summary>
    /// Extra <c>converge user add</c> options per local part (e.g. <c>--email</c>, <c>--cpm false</c>);
    /// a local part that is not one of <see cref="Users"/> is added as well.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> UserOptions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Log lines that must appear, after the listeners', before a start counts as done (e.g. the
    /// SMPP bind, so that a test's first message goes out at once); awaited again at every restart.
    /// </summary>
    public IReadOnlyList<(string Description, Func<string, bool> Matches)> ReadyWhen { get; init; } = [];

    /// <summary>Everything every run of the server wrote (stdout and stderr), for failure messages.</summary>
    public string Log => _earlierRuns.Length == 0 && _server is null
        ? "(server not started)"
        : _earlierRuns + (_server?.Output.Text ?? "");

    /// <summary>Writes the configuration, provisions the users and starts the server (xunit calls this for a fixture).</summary>
    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("converge-interop-");
        ClientPort = FreeTcpPort();
        ClientDirectTlsPort = FreeTcpPort();
        HttpPort = FreeTcpPort();
        ConfigPath = Path.Combine(_directory.FullName, "converge.json");
        var config = JsonSerializer.SerializeToNode(new
        {
            Domain = XmppDomain,
            DataDirectory = Path.Combine(_directory.FullName, "data"),

            // No test server fetches Converse.js from npm; the web chat test points WebChat.Path at its own copy.
            WebChat = new { AutoInstall = false },
            Listeners = new
            {
                Client = Loopback(ClientPort),
                ClientDirectTls = Loopback(ClientDirectTlsPort),
                Server = ServerToServerPort is { } port ? Loopback(port) : "",
                Http = Loopback(HttpPort),
            },
        })!.AsObject();
        if (ExtraConfig is not null)
        {
            Merge(config, ExtraConfig);
        }

        await File.WriteAllTextAsync(ConfigPath, config.ToJsonString());

        // The first run creates the database schema; the others can then share it at once.
        var users = Users.Union(UserOptions.Keys).ToList();
        await AddUserAsync(users[0]);
        await Task.WhenAll(users.Skip(1).Select(AddUserAsync));

        await StartProcessAsync();
    }

    /// <summary>Starts a server the calling test owns and disposes; disposes it at once if the start fails.</summary>
    public async Task<ConvergeServer> StartAsync()
    {
        try
        {
            await InitializeAsync();
            return this;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL to the whole process tree: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        var server = _server ?? throw new InvalidOperationException("the server is not running");
        await server.KillAsync();
        _earlierRuns.Append(server.Output.Text).Append("----- killed with SIGKILL -----\n");
        await server.DisposeAsync();
        _server = null;
    }

    /// <summary>
    /// A graceful stop as a service manager does it (SIGTERM): the server's shutdown code runs; returns
    /// once the process has exited (fails if it does not within 60 s). <see cref="RestartAsync"/> starts it again.
    /// </summary>
    public async Task StopAsync()
    {
        var server = _server ?? throw new InvalidOperationException("the server is not running");
        await SignalAsync("TERM");
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        _earlierRuns.Append(server.Output.Text).Append($"----- stopped with SIGTERM, exit code {exitCode} -----\n");
        await server.DisposeAsync();
        _server = null;
        if (exitCode == -1)
        {
            throw new TimeoutException($"`converge serve` did not exit within 60 s of SIGTERM:\n{Log}");
        }
    }

    /// <summary>Sends the running server a signal by name (e.g. <c>HUP</c>, as <c>systemctl reload</c> does) with the real <c>kill</c>.</summary>
    public async Task SignalAsync(string signal)
    {
        var server = _server ?? throw new InvalidOperationException("the server is not running");
        await using var kill = ChildProcess.Start("kill", ["-s", signal, server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], _directory!.FullName);
        var exitCode = await kill.WaitForExitAsync(CliTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} exited with {exitCode}:\n{kill.Output.Text}");
        }
    }

    /// <summary>Starts the server again on the same configuration, data directory and ports.</summary>
    public Task RestartAsync() => _server is null
        ? StartProcessAsync()
        : throw new InvalidOperationException("the server is still running");

    /// <summary>
    /// <c>converge user set JID options</c> against the running server's database, returning once
    /// the server has logged that it picked the change up (it polls the store).
    /// </summary>
    public async Task SetUserAsync(string jid, params string[] options)
    {
        var server = _server ?? throw new InvalidOperationException("the server is not running");
        var changed = $"Account {jid} added or changed";
        var earlier = server.Output.StdoutLines.Count(l => l.Contains(changed, StringComparison.Ordinal));
        await RunCliAsync(["user", "set", jid, .. options, "--config", ConfigPath]);
        var seen = 0;
        await WaitForLogLineAsync(l => l.Contains(changed, StringComparison.Ordinal) && ++seen == earlier + 1, TimeSpan.FromSeconds(10), $"'{changed}' after user set");
    }

    /// <summary>The first line of the running server's log matching <paramref name="matches"/>, already written or still to come.</summary>
    public async Task<string> WaitForLogLineAsync(Func<string, bool> matches, TimeSpan timeout, string description)
    {
        var server = _server ?? throw new InvalidOperationException("the server is not running");
        try
        {
            return await server.Output.WaitForLineAsync(matches).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server logged no {description} within {timeout.TotalSeconds:0} s:\n{Log}");
        }
    }

    /// <summary>Kills the server and removes its directory; safe to call twice (xunit may, for a fixture).</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        try
        {
            _directory?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the run for it is not worth it.
        }

        _directory = null;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    // The port is free when we look; a clash with another process in the short gap fails loudly at bind.
    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync()
    {
        var server = StartConverge("serve", "--config", ConfigPath);
        _server = server;

        // The listeners log "Listening for <what> on <endpoint>" once their socket is bound.
        List<(string Description, Func<string, bool> Matches)> marks = [("client listener", ListeningFor("clients (STARTTLS)", ClientPort))];
        if (ServerToServerPort is { } port)
        {
            marks.Add(("server-to-server listener", ListeningFor("servers (s2s)", port)));
        }

        // Kestrel binds after the XMPP service: tests of the HTTP listener wait for its own line.
        if (HttpListenerConfigured())
        {
            var http = $"Listening for HTTP on http://{Loopback(HttpPort)}";
            marks.Add(("HTTP listener", l => l.Contains(http, StringComparison.Ordinal)));
        }

        var clock = Stopwatch.StartNew();
        foreach (var (description, matches) in marks.Concat(ReadyWhen))
        {
            var seen = server.Output.WaitForLineAsync(matches);
            while (!seen.IsCompleted)
            {
                if (server.HasExited)
                {
                    throw new InvalidOperationException($"`converge serve` exited with {server.ExitCode} before its {description} was up:\n{Log}");
                }

                if (clock.Elapsed > StartTimeout)
                {
                    throw new TimeoutException($"`converge serve` logged no {description} within {StartTimeout.TotalSeconds:0} s:\n{Log}");
                }

                await Task.WhenAny(seen, Task.Delay(100));
            }
        }
    }

    private bool HttpListenerConfigured() =>
        ExtraConfig?["Listeners"] is not JsonObject listeners || listeners["Http"] is not JsonValue http || http.GetValue<string>().Length > 0;

    private static Func<string, bool> ListeningFor(string what, int port)
    {
        var line = $"Listening for {what} on {Loopback(port)}";
        return l => l.Contains(line, StringComparison.Ordinal);
    }

    private Task AddUserAsync(string user)
    {
        IReadOnlyList<string> options = UserOptions.TryGetValue(user, out var extra) ? extra : [];
        return RunCliAsync(["user", "add", $"{user}@{XmppDomain}", "--password", Password, .. options, "--config", ConfigPath]);
    }

    private async Task RunCliAsync(params string[] arguments) => await CliAsync(arguments);

    /// <summary>
    /// Runs <c>converge ARGS --config ConfigPath</c> as the operator would, next to the running server;
    /// fails unless it exits 0; returns its standard output lines.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunOperatorCommandAsync(params string[] arguments) =>
        await CliAsync([.. arguments, "--config", ConfigPath]);

    private async Task<IReadOnlyList<string>> CliAsync(string[] arguments)
    {
        await using var cli = StartConverge(arguments);
        var exitCode = await cli.WaitForExitAsync(CliTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`converge {string.Join(' ', arguments)}` exited with {exitCode}:\n{cli.Output.Text}");
        }

        return [.. cli.Output.StdoutLines];
    }

    private ChildProcess StartConverge(params string[] arguments)
    {
        var convergeDll = Path.Combine(AppContext.BaseDirectory, "converge.dll");
        return ChildProcess.Start(DotnetHost(), [convergeDll, .. arguments], _directory!.FullName);
    }

    private static void Merge(JsonObject target, JsonObject extra)
    {
        foreach (var (key, value) in extra)
        {
            if (value is JsonObject section && target[key] is JsonObject existing)
            {
                Merge(existing, section);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static string Loopback(int port) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"127.0.0.1:{port}");

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
