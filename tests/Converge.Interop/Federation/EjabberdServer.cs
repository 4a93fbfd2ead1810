using System.Globalization;
using Converge.Interop.Support;

namespace Converge.Interop.Federation;

/// <summary>
/// ejabberd 23.01 (Debian's package) as a throwaway peer provider on loopback. Started as `erl
/// ... -s ejabberd` in the foreground rather than through ejabberdctl, which would switch users
/// and leave an epmd behind (PEERS.md); users are registered by an -eval once it has started.
/// Its resolver asks only <see cref="LoopbackDns"/> (ERL_INETRC).
/// </summary>
internal sealed class EjabberdServer : PeerServer
{
    private const string CodePath = "/usr/lib/x86_64-linux-gnu";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private EjabberdServer(string domain, DirectoryInfo directory, ChildProcess process, int clientPort, int serverPort)
        : base(domain, directory, process, clientPort, serverPort, "ejabberd.log")
    {
    }

    public static async Task<EjabberdServer> StartAsync(string domain, int dnsPort, string password, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("converge-ejabberd-");
        var (certificate, key) = PeerServerFiles.SelfSignedPem(domain);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "server.pem"), certificate + key);
        var clientPort = PeerServerFiles.FreeTcpPort();
        var serverPort = PeerServerFiles.FreeTcpPort();
        var config = Path.Combine(directory.FullName, "ejabberd.yml");
        await File.WriteAllTextAsync(config, PeerServerFiles.Template("ejabberd.yml", new Dictionary<string, string>
        {
            ["DIR"] = directory.FullName,
            ["DOMAIN"] = domain,
            ["C2S_PORT"] = clientPort.ToString(CultureInfo.InvariantCulture),
            ["S2S_PORT"] = serverPort.ToString(CultureInfo.InvariantCulture),
        }));

        // In this order: the other one silently drops the name server (PEERS.md).
        var inetrc = Path.Combine(directory.FullName, "inetrc");
        await File.WriteAllTextAsync(inetrc, $"{{resolv_conf, \"\"}}.\n{{nameserver, {{127,0,0,1}}, {dnsPort}}}.\n");

        var registrations = string.Join(", ", users.Select(u => $"ejabberd_auth:try_register(<<\"{u}\">>, <<\"{domain}\">>, <<\"{password}\">>)"));
        var process = ChildProcess.Start(
            "erl",
            [
                "-noinput", "+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none",
                "-mnesia", "dir", $"\"{Path.Combine(directory.FullName, "db")}\"",
                "-s", "ejabberd",
                "-eval", $"io:format(\"REGISTERED ~p~n\", [[{registrations}]]), io:format(\"EJABBERD-READY~n\").",
            ],
            directory.FullName,
            new Dictionary<string, string>
            {
                ["EJABBERD_CONFIG_PATH"] = config,
                ["EJABBERD_LOG_PATH"] = Path.Combine(directory.FullName, "ejabberd.log"),
                ["ERL_LIBS"] = CodePath,
                ["ERL_INETRC"] = inetrc,
                ["ERL_CRASH_DUMP"] = Path.Combine(directory.FullName, "erl_crash.dump"),
                ["HOME"] = directory.FullName,
            });
        var server = new EjabberdServer(domain, directory, process, clientPort, serverPort);
        if (!await process.WaitForLineAsync("EJABBERD-READY", StartTimeout)
            || !await PeerServerFiles.WaitForPortAsync(serverPort, TimeSpan.FromSeconds(10), () => process.HasExited))
        {
            var log = server.Log;
            await server.DisposeAsync();
            throw new InvalidOperationException($"ejabberd did not start:\n{log}");
        }

        return server;
    }
}
