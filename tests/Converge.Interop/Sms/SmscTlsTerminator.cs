using System.Globalization;
using Converge.Interop.Federation;
using Converge.Interop.Support;

namespace Converge.Interop.Sms;

/// <summary>
/// stunnel4 (Debian) in front of the SMSC simulator, as an operator's TLS terminator: it accepts TLS on
/// a loopback port with the certificate it is given, and passes the plain SMPP on to the simulator.
/// stunnel opens its connection to the simulator only once a handshake succeeded, so a connection the
/// ESME abandoned at the certificate never reaches the SMSC.
/// </summary>
internal sealed class SmscTlsTerminator : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private SmscTlsTerminator(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The TLS port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>stunnel's own log (handshakes, failures), for failure messages.</summary>
    public string Log => _process.Output.Text;

    /// <summary>Starts stunnel with <paramref name="certificatePem"/>/<paramref name="keyPem"/>, forwarding to 127.0.0.1:<paramref name="smppPort"/>.</summary>
    public static async Task<SmscTlsTerminator> StartAsync(int smppPort, string certificatePem, string keyPem)
    {
        var directory = Path.Combine(Path.GetTempPath(), "converge-stunnel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var certificate = Path.Combine(directory, "smsc.pem");
        var key = Path.Combine(directory, "smsc.key");
        await File.WriteAllTextAsync(certificate, certificatePem);
        await File.WriteAllTextAsync(key, keyPem);
        var port = PeerServerFiles.FreeTcpPort();
        var config = Path.Combine(directory, "stunnel.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            foreground = yes
            pid =
            debug = info
            [smpp]
            accept = 127.0.0.1:{port}
            connect = 127.0.0.1:{smppPort}
            cert = {certificate}
            key = {key}

            """));
        var process = ChildProcess.Start("stunnel4", [config], directory);
        if (!await PeerServerFiles.WaitForPortAsync(port, TimeSpan.FromSeconds(20), () => process.HasExited))
        {
            var log = process.Output.Text;
            await process.DisposeAsync();
            throw new InvalidOperationException($"stunnel4 did not listen on {port}:\n{log}");
        }

        return new SmscTlsTerminator(process, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
