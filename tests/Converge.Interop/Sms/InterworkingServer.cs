using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Sms;

/// <summary>
/// A real <c>converge serve</c> child process whose configuration has an <c>Sms</c> section bound
/// to the simulated SMS network, with subscribers provisioned by the real CLI (<c>user add
/// --msisdn --cpm</c>) and changed by it while it runs (<c>user set</c>). It can be killed with
/// SIGKILL and started again on the same data directory and ports.
/// </summary>
internal sealed class InterworkingServer : IAsyncDisposable
{
    public const string SmppPassword = "secret";

    /// <summary>Invitations left unanswered are declined after this long (Sms.SessionInviteTimeout).</summary>
    public static readonly TimeSpan SessionInviteTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _earlierRuns = new();
    private ChildProcess? _process;

    private InterworkingServer(DirectoryInfo directory, string systemId, int clientPort)
    {
        _directory = directory;
        SystemId = systemId;
        ClientPort = clientPort;
        ConfigPath = Path.Combine(directory.FullName, "converge.json");
    }

    /// <summary>The SMPP system_id this provider binds with.</summary>
    public string SystemId { get; }

    public int ClientPort { get; }

    public string ConfigPath { get; }

    /// <summary>Everything every run of the server wrote, for failure messages.</summary>
    public string Log => _earlierRuns + (_process?.Output.Text ?? "");

    /// <summary>
    /// Registers the provider with the network (owning <paramref name="ownedPrefixes"/>), provisions
    /// <paramref name="subscribers"/> and starts the server; returns once it listens for clients and is bound to the SMSC.
    /// </summary>
    public static async Task<InterworkingServer> StartAsync(
        SmsNetwork network, string systemId, IReadOnlyList<string> ownedPrefixes, IReadOnlyList<string> sourceNumbers, IReadOnlyList<Subscriber> subscribers)
    {
        await network.AddProviderAsync(systemId, SmppPassword, [.. ownedPrefixes]);
        var directory = Directory.CreateTempSubdirectory("converge-sms-interop-");
        var server = new InterworkingServer(directory, systemId, FreeTcpPort());
        try
        {
            await File.WriteAllTextAsync(server.ConfigPath, JsonSerializer.Serialize(new
            {
                Domain = ConvergeServer.Domain,
                DataDirectory = Path.Combine(directory.FullName, "data"),
                Listeners = new { Client = $"127.0.0.1:{server.ClientPort}", ClientDirectTls = "", Server = "", Http = "" },
                Sms = new
                {
                    Smsc = $"127.0.0.1:{network.SmppPort}",
                    SystemId = systemId,
                    Password = SmppPassword,
                    SourceNumbers = sourceNumbers,
                    SessionInviteTimeout = SessionInviteTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                },
            }));

            // The first run creates the database schema; the others can then share it at once.
            await server.RunCliAsync(AddArguments(subscribers[0], server.ConfigPath));
            await Task.WhenAll(subscribers.Skip(1).Select(s => server.RunCliAsync(AddArguments(s, server.ConfigPath))));
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>converge user set JID options</c> against the running server's database, returning once
    /// the server has logged that it picked the change up (it polls the store).
    /// </summary>
    public async Task SetUserAsync(Subscriber subscriber, params string[] options)
    {
        var process = _process ?? throw new InvalidOperationException("the server is not running");
        var changed = $"Account {subscriber.Jid} added or changed";
        var earlier = process.Output.StdoutLines.Count(l => l.Contains(changed, StringComparison.Ordinal));
        await RunCliAsync(["user", "set", subscriber.Jid, .. options, "--config", ConfigPath]);
        var seen = 0;
        await WaitForLogLineAsync(l => l.Contains(changed, StringComparison.Ordinal) && ++seen == earlier + 1, TimeSpan.FromSeconds(10), $"'{changed}' after user set");
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

    private static string[] AddArguments(Subscriber s, string config)
    {
        List<string> arguments = ["user", "add", s.Jid, "--password", ConvergeServer.Password, "--cpm", s.Cpm ? "true" : "false", "--config", config];
        if (s.Msisdn is not null)
        {
            arguments.AddRange(["--msisdn", s.Msisdn]);
        }

        return [.. arguments];
    }

    private async Task StartProcessAsync()
    {
        var process = StartConverge("serve", "--config", ConfigPath);
        _process = process;
        await WaitForLogLineAsync(
            l => l.Contains("Listening for clients", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{ClientPort}", StringComparison.Ordinal),
            StartTimeout,
            "client listener");
        // "SMPP bind 0 to host:port as systemId bound (SMSC ...)": from here on submissions go out at once.
        await WaitForLogLineAsync(
            l => l.Contains("SMPP bind", StringComparison.Ordinal) && l.Contains($"as {SystemId} bound", StringComparison.Ordinal),
            StartTimeout,
            "SMPP bind");
    }

    private async Task RunCliAsync(string[] arguments)
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
}
