using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Durability;

/// <summary>
/// A real <c>converge serve</c> child process on its own data directory that a test can kill with
/// SIGKILL and start again on the same data directory and ports. Users are provisioned with the
/// real <c>converge user add</c> CLI, all with <see cref="ConvergeServer.Password"/>.
/// </summary>
internal sealed class RestartableServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _earlierRuns = new();
    private ChildProcess? _process;

    private RestartableServer(DirectoryInfo directory, int clientPort)
    {
        _directory = directory;
        ClientPort = clientPort;
        ConfigPath = Path.Combine(directory.FullName, "converge.json");
    }

    public int ClientPort { get; }

    public string ConfigPath { get; }

    /// <summary>Everything every run of the server wrote, for failure messages.</summary>
    public string Log => _earlierRuns + (_process?.Output.Text ?? "");

    /// <summary>Provisions <paramref name="users"/> and starts the server; <paramref name="resumeTimeout"/> sets Limits.Client.ResumeTimeout.</summary>
    public static async Task<RestartableServer> StartAsync(IReadOnlyList<string> users, TimeSpan? resumeTimeout = null)
    {
        var directory = Directory.CreateTempSubdirectory("converge-durability-");
        var server = new RestartableServer(directory, FreeTcpPort());
        try
        {
            await server.WriteConfigAsync(resumeTimeout);

            // The first run creates the database schema; the others can then share it at once.
            await server.RunCliAsync("user", "add", $"{users[0]}@{ConvergeServer.Domain}", "--password", ConvergeServer.Password, "--config", server.ConfigPath);
            await Task.WhenAll(users.Skip(1).Select(user =>
                server.RunCliAsync("user", "add", $"{user}@{ConvergeServer.Domain}", "--password", ConvergeServer.Password, "--config", server.ConfigPath)));

            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL to the whole process tree: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the server is not running");
        await process.KillAsync();
        _earlierRuns.Append(process.Output.Text).Append("----- killed with SIGKILL -----\n");
        await process.DisposeAsync();
        _process = null;
    }

    /// <summary>Starts the server again on the same configuration, data directory and ports.</summary>
    public Task RestartAsync() => _process is null
        ? StartProcessAsync()
        : throw new InvalidOperationException("the server is still running");

    /// <summary>The first line of the running server's log matching <paramref name="matches"/>, seen or still to come.</summary>
    public async Task<string> WaitForLogLineAsync(Func<string, bool> matches, TimeSpan timeout, string description)
    {
        var process = _process ?? throw new InvalidOperationException("the server is not running");
        try
        {
            return await process.Output.WaitForLineAsync(matches).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server logged no {description} within {timeout.TotalSeconds:0} s:\n{Log}");
        }
    }

    private async Task WriteConfigAsync(TimeSpan? resumeTimeout)
    {
        var limits = resumeTimeout is { } timeout
            ? new Dictionary<string, object>
            {
                ["Client"] = new Dictionary<string, string> { ["ResumeTimeout"] = timeout.ToString("c", CultureInfo.InvariantCulture) },
            }
            : [];
        await File.WriteAllTextAsync(ConfigPath, JsonSerializer.Serialize(new
        {
            Domain = ConvergeServer.Domain,
            DataDirectory = Path.Combine(_directory.FullName, "data"),
            Listeners = new
            {
                Client = $"127.0.0.1:{ClientPort}",
                ClientDirectTls = "",
                Server = "",
                Http = "",
            },
            Limits = limits,
        }));
    }

    private async Task StartProcessAsync()
    {
        var process = StartConverge("serve", "--config", ConfigPath);
        _process = process;

        // "Listening for clients (STARTTLS) on 127.0.0.1:<port>" is logged once the socket is bound.
        var endpoint = $"127.0.0.1:{ClientPort}";
        var listening = process.Output.WaitForLineAsync(l => l.Contains("Listening for clients", StringComparison.Ordinal) && l.Contains(endpoint, StringComparison.Ordinal));
        try
        {
            await listening.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"`converge serve` did not listen on {endpoint} within {StartTimeout.TotalSeconds:0} s (exited: {process.HasExited}):\n{Log}");
        }
    }

    private async Task RunCliAsync(params string[] arguments)
    {
        await using var cli = StartConverge(arguments);
        var exitCode = await cli.WaitForExitAsync(CliTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`converge {string.Join(' ', arguments)}` exited with {exitCode}:\n{cli.Output.Text}");
        }
    }

    private ChildProcess StartConverge(params string[] arguments)
    {
        var convergeDll = Path.Combine(AppContext.BaseDirectory, "converge.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        return ChildProcess.Start(host, [convergeDll, .. arguments], _directory.FullName);
    }

    // Free when we look; a clash in the short gap fails loudly at bind.
    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
