using System.Net;
using DnsClient;

namespace Converge.Hosting;

/// <summary>
/// The one DNS resolver of a server: federation asks it for peers' SRV and address records, the
/// email sender for MX and address records. <c>Federation.DnsServer</c> points it at one server
/// (tests and the bench run a loopback responder); otherwise it asks those of /etc/resolv.conf.
/// </summary>
internal static class NameResolution
{
    public static IDnsQuery For(IPEndPoint? server)
    {
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(server);
        options.Timeout = TimeSpan.FromSeconds(3); // per attempt; a peer or a mail waits at most two attempts per server
        options.Retries = 1;
        return new LookupClient(options);
    }
}
