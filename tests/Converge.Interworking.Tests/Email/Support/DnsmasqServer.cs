using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// A real DNS server for the MX tests: Debian's dnsmasq (package dnsmasq-base) on a free loopback
/// UDP port, authoritative for "test." with the records a test gives it, NXDOMAIN for other names there.
/// </summary>
internal sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private DnsmasqServer(PeerProcess process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    /// <param name="records">dnsmasq options such as "--mx-host=mail.test,mx1.mail.test,10" and "--host-record=mx1.mail.test,127.0.0.1".</param>
    public static async Task<DnsmasqServer> StartAsync(params string[] records)
    {
        var port = FreeUdpPort();
        var process = PeerProcess.Start("/usr/sbin/dnsmasq",
        [
            "--keep-in-foreground", "--no-daemon", "--port=" + port.ToString(CultureInfo.InvariantCulture),
            "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-poll",
            "--conf-file=/dev/null", "--pid-file=", "--user=" + Environment.UserName, "--local=/test/",
            .. records,
        ]);
        try
        {
            await process.WaitForLineAsync("dnsmasq: started", TimeSpan.FromSeconds(10));
            return new DnsmasqServer(process, new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
