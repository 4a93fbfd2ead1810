using System.Globalization;
using Converge.Interop.Support;

namespace Converge.Interop.Federation;

/// <summary>
/// Prosody 0.12 (Debian's package) as a throwaway peer provider on loopback: its own directory,
/// ports, self-signed certificate and users, resolving other domains through <see cref="LoopbackDns"/>.
/// </summary>
internal sealed class ProsodyServer : PeerServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ProsodyServer(string domain, DirectoryInfo directory, ChildProcess process, int clientPort, int serverPort)
        : base(domain, directory, process, clientPort, serverPort, "prosody.log")
    {
    }

    public static async Task<ProsodyServer> StartAsync(string domain, int dnsPort, string password, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("converge-prosody-");
        var certs = Directory.CreateDirectory(Path.Combine(directory.FullName, "certs"));
        Directory.CreateDirectory(Path.Combine(directory.FullName, "data"));
        var (certificate, key) = PeerServerFiles.SelfSignedPem(domain);
        await File.WriteAllTextAsync(Path.Combine(certs.FullName, domain + ".crt"), certificate);
        await File.WriteAllTextAsync(Path.Combine(certs.FullName, domain + ".key"), key);
        foreach (var component in new[] { "conference." + domain, "pubsub." + domain })
        {
            var (componentCertificate, componentKey) = PeerServerFiles.SelfSignedPem(component);
            await File.WriteAllTextAsync(Path.Combine(certs.FullName, component + ".crt"), componentCertificate);
            await File.WriteAllTextAsync(Path.Combine(certs.FullName, component + ".key"), componentKey);
        }
        var clientPort = PeerServerFiles.FreeTcpPort();
        var serverPort = PeerServerFiles.FreeTcpPort();
        var config = Path.Combine(directory.FullName, "prosody.cfg.lua");
        await File.WriteAllTextAsync(config, PeerServerFiles.Template("prosody.cfg.lua", new Dictionary<string, string>
        {
            ["DIR"] = directory.FullName,
            ["DOMAIN"] = domain,
            ["C2S_PORT"] = clientPort.ToString(CultureInfo.InvariantCulture),
            ["S2S_PORT"] = serverPort.ToString(CultureInfo.InvariantCulture),
            ["DNS_PORT"] = dnsPort.ToString(CultureInfo.InvariantCulture),
        }));

        foreach (var user in users)
        {
            await using var register = ChildProcess.Start("prosodyctl", ["--config", config, "register", user, domain, password], directory.FullName);
            if (await register.WaitForExitAsync(TimeSpan.FromSeconds(20)) != 0)
            {
                throw new InvalidOperationException($"prosodyctl register {user} failed:\n{register.Output.Text}");
            }
        }

        var process = ChildProcess.Start("prosody", ["--config", config, "-F"], directory.FullName);
        var server = new ProsodyServer(domain, directory, process, clientPort, serverPort);
        if (!await PeerServerFiles.WaitForPortAsync(serverPort, StartTimeout, () => process.HasExited)
            || !await PeerServerFiles.WaitForPortAsync(clientPort, StartTimeout, () => process.HasExited))
        {
            var log = server.Log;
            await server.DisposeAsync();
            throw new InvalidOperationException($"prosody did not start listening:\n{log}");
        }

        return server;
    }
}
