using System.Globalization;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Federation;

/// <summary>
/// A Converge provider for the federation interop tests, run as an operator would: a config file
/// with the client and server listeners and an agreement per peer (static Address), users added
/// with `converge user add`, then `converge serve` as a child process.
/// </summary>
internal sealed class ConvergeServe : IAsyncDisposable
{
    public const string Password = "secret";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] AllFeatures = ["Messaging", "Presence", "Subscription", "Search", "Sessions"];

    private readonly DirectoryInfo _directory;
    private readonly ChildProcess _server;

    private ConvergeServe(string domain, DirectoryInfo directory, ChildProcess server, int clientPort, int serverPort)
    {
        Domain = domain;
        _directory = directory;
        _server = server;
        ClientPort = clientPort;
        ServerToServerPort = serverPort;
    }

    public string Domain { get; }

    public int ClientPort { get; }

    public int ServerToServerPort { get; }

    /// <summary>What `converge serve` logged so far.</summary>
    public string Log => _server.Output.Text;

    /// <param name="domain">The provider's domain.</param>
    /// <param name="agreements">Peer domain → "host:port" of its server-to-server listener.</param>
    /// <param name="users">Accounts to add, all with <see cref="Password"/>.</param>
    public static async Task<ConvergeServe> StartAsync(string domain, IReadOnlyDictionary<string, string> agreements, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("converge-s2s-interop-");
        var clientPort = PeerServerFiles.FreeTcpPort();
        var serverPort = PeerServerFiles.FreeTcpPort();
        var httpPort = PeerServerFiles.FreeTcpPort();
        var config = Path.Combine(directory.FullName, "converge.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Domain = domain,
            DataDirectory = Path.Combine(directory.FullName, "data"),
            Listeners = new
            {
                Client = $"127.0.0.1:{clientPort}",
                ClientDirectTls = "",
                Server = $"127.0.0.1:{serverPort}",
                Http = $"127.0.0.1:{httpPort}",
            },
            Federation = new { Open = false },
            Agreements = agreements.ToDictionary(a => a.Key, a => new { Address = a.Value, Features = AllFeatures }),
            Logging = new { LogLevel = new { Default = "Information", Converge = "Debug" } },
        }));

        foreach (var user in users)
        {
            await using var add = Start(directory, "user", "add", $"{user}@{domain}", "--password", Password, "--config", config);
            if (await add.WaitForExitAsync(TimeSpan.FromSeconds(30)) != 0)
            {
                throw new InvalidOperationException($"converge user add {user} failed:\n{add.Output.Text}");
            }
        }

        var server = Start(directory, "serve", "--config", config);
        if (!await PeerServerFiles.WaitForPortAsync(serverPort, StartTimeout, () => server.HasExited)
            || !await PeerServerFiles.WaitForPortAsync(clientPort, StartTimeout, () => server.HasExited))
        {
            var log = server.Output.Text;
            await server.DisposeAsync();
            throw new InvalidOperationException($"converge serve did not listen on {serverPort} and {clientPort}:\n{log}");
        }

        return new ConvergeServe(domain, directory, server, clientPort, serverPort);
    }

    private static ChildProcess Start(DirectoryInfo directory, params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        return ChildProcess.Start(host, [Path.Combine(AppContext.BaseDirectory, "converge.dll"), .. arguments], directory.FullName);
    }

    public static string Address(int port) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
