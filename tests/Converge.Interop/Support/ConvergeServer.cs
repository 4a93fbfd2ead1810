using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Converge.Interop.Support;

/// <summary>
/// A real Converge server for one test class: its own data directory and loopback ports, users
/// provisioned with the real <c>converge user add</c> CLI, then <c>converge serve</c> as a child process.
/// </summary>
public sealed class ConvergeServer : IAsyncLifetime
{
    public const string Domain = "localhost";

    public const string Password = "secret";

    /// <summary>Every server starts with these accounts, all with <see cref="Password"/>.</summary>
    public static readonly IReadOnlyList<string> Users = ["alice", "bob", "carol", "dave"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private DirectoryInfo? _directory;
    private ChildProcess? _server;

    public int ClientPort { get; private set; }

    public int ClientDirectTlsPort { get; private set; }

    public int HttpPort { get; private set; }

    public string ConfigPath { get; private set; } = "";

    /// <summary>The XMPP domain this server serves (and its users are added in); <see cref="Domain"/> unless a test runs several providers.</summary>
    public string XmppDomain { get; init; } = Domain;

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

    /// <summary>What the server wrote so far (stdout and stderr), for failure messages.</summary>
    public string Log => _server?.Output.Text ?? "(server not started)";

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
            Listeners = new
            {
                Client = $"127.0.0.1:{ClientPort}",
                ClientDirectTls = $"127.0.0.1:{ClientDirectTlsPort}",
                Server = "",
                Http = $"127.0.0.1:{HttpPort}",
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

        _server = StartConverge("serve", "--config", ConfigPath);
        await WaitUntilListeningAsync(_server);
    }

    /// <summary>The first line of the server's log matching <paramref name="matches"/>, already written or still to come.</summary>
    public async Task<string> WaitForLogLineAsync(Func<string, bool> matches, TimeSpan timeout, string description)
    {
        var server = _server ?? throw new InvalidOperationException("the server is not started");
        try
        {
            return await server.Output.WaitForLineAsync(matches).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server logged no {description} within {timeout.TotalSeconds:0} s:\n{Log}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            _directory?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the run for it is not worth it.
        }
    }

    private Task AddUserAsync(string user)
    {
        IReadOnlyList<string> options = UserOptions.TryGetValue(user, out var extra) ? extra : [];
        return RunCliAsync(["user", "add", $"{user}@{XmppDomain}", "--password", Password, .. options, "--config", ConfigPath]);
    }

    private async Task RunCliAsync(params string[] arguments)
    {
        await using var cli = StartConverge(arguments);
        var exitCode = await cli.WaitForExitAsync(CliTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`converge {string.Join(' ', arguments)}` exited with {exitCode}:\n{cli.Output.Text}");
        }
    }

    private ChildProcess StartConverge(params string[] arguments)
    {
        var convergeDll = Path.Combine(AppContext.BaseDirectory, "converge.dll");
        return ChildProcess.Start(DotnetHost(), [convergeDll, .. arguments], _directory!.FullName);
    }

    private async Task WaitUntilListeningAsync(ChildProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException(
                    $"`converge serve` exited with {server.ExitCode} before listening on {ClientPort}:\n{server.Output.Text}");
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, ClientPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException(
            $"`converge serve` did not accept connections on {ClientPort} within {StartTimeout.TotalSeconds:0} s:\n{server.Output.Text}");
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

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    // The port is free when we look; a clash with another process in the short gap fails loudly at bind.
    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
