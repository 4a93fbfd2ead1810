using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DnsClient;
using DnsClient.Protocol;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Where a peer domain's server listens (RFC 6120 §3.2): the agreement's static address if it has
/// one, else the _xmpp-server._tcp SRV records, then _xmpps-server._tcp (direct TLS, XEP-0368),
/// then the domain itself on 5269. The look-ups are DnsClient's, on the resolver the host shares
/// with the email sender.
/// </summary>
internal sealed class PeerAddressResolver(IFederationPolicy policy, IDnsQuery dns)
{
    public async Task<IReadOnlyList<PeerEndpoint>> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        if (policy.StaticAddress(domain) is { Length: > 0 } address)
        {
            return TryParseAddress(address, out var host, out var port) ? [new PeerEndpoint(host, port, DirectTls: false)] : [];
        }

        var starttls = await ServicesAsync("_xmpp-server._tcp." + domain, cancellationToken).ConfigureAwait(false);
        var direct = await ServicesAsync("_xmpps-server._tcp." + domain, cancellationToken).ConfigureAwait(false);
        if (IsServiceRefused(starttls) && (direct.Count == 0 || IsServiceRefused(direct)))
        {
            return []; // RFC 2782: a lone "." target says the domain offers no such service
        }

        var endpoints = new List<PeerEndpoint>();
        endpoints.AddRange(Order(starttls).Select(s => new PeerEndpoint(HostName(s.Target), s.Port, DirectTls: false)));
        endpoints.AddRange(Order(direct).Select(s => new PeerEndpoint(HostName(s.Target), s.Port, DirectTls: true)));
        if (endpoints.Count == 0)
        {
            endpoints.Add(new PeerEndpoint(domain, FederationOptions.DefaultPort, DirectTls: false));
        }

        return endpoints;
    }

    /// <summary>The addresses of a host: literal, loopback for "localhost", AAAA and A records, else the system resolver (/etc/hosts).</summary>
    public async Task<IReadOnlyList<IPAddress>> ResolveHostAsync(string host, CancellationToken cancellationToken)
    {
        host = host.TrimEnd('.');
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        var addresses = new List<IPAddress>();
        foreach (var type in new[] { QueryType.AAAA, QueryType.A })
        {
            var answer = await QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
            addresses.AddRange(answer?.Answers.OfType<AddressRecord>().Select(r => r.Address) ?? []);
        }

        if (addresses.Count > 0)
        {
            return addresses;
        }

        try
        {
            return await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return [];
        }
    }

    /// <summary>"host:port", "[v6]:port" or a bare host (port 5269).</summary>
    public static bool TryParseAddress(string address, out string host, out int port)
    {
        port = FederationOptions.DefaultPort;
        host = address.Trim();
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var rest = host[(close + 1)..];
            host = host[1..close];
            return rest.Length == 0 || (rest[0] == ':' && TryParsePort(rest[1..], out port));
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0 && host.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            var portText = host[(colon + 1)..];
            host = host[..colon];
            return host.Length > 0 && TryParsePort(portText, out port);
        }

        return host.Length > 0;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;

    private async Task<IReadOnlyList<SrvRecord>> ServicesAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync(name, QueryType.SRV, cancellationToken).ConfigureAwait(false))?.Answers.SrvRecords().ToList() ?? [];

    /// <summary>The answer, or null when no server gave one (a failed look-up reads as "no records": the domain itself is tried).</summary>
    private async Task<IDnsQueryResponse?> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dns.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.HasError ? null : response;
        }
        catch (DnsResponseException)
        {
            return null;
        }
    }

    private static string HostName(DnsString name) => name.Value.Length > 1 ? name.Value.TrimEnd('.') : name.Value;

    private static bool IsServiceRefused(IReadOnlyList<SrvRecord> records) => records is [var only] && only.Target.Value == ".";

    /// <summary>RFC 2782 order: by priority, and within one priority a weighted random draw.</summary>
    internal static IEnumerable<SrvRecord> Order(IReadOnlyList<SrvRecord> records)
    {
        foreach (var group in records.Where(r => r.Target.Value != ".").GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var remaining = group.ToList();
            while (remaining.Count > 0)
            {
                var total = remaining.Sum(r => r.Weight + 1);
                var draw = RandomNumberGenerator.GetInt32(total);
                var index = 0;
                while (draw >= remaining[index].Weight + 1)
                {
                    draw -= remaining[index].Weight + 1;
                    index++;
                }

                yield return remaining[index];
                remaining.RemoveAt(index);
            }
        }
    }
}
