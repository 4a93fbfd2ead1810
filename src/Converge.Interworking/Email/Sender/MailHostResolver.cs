using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Converge.Interworking.Email;

/// <summary>
/// A domain's mail hosts (RFC 5321 §5.1): its MX records by preference (equal preferences in random
/// order), the domain itself when it has no MX (implicit MX), none for a null MX (RFC 7505).
/// Host addresses come from the additional section when present, otherwise from A and AAAA
/// lookups; IPv4 first. The look-ups are DnsClient's, on the resolver the host shares with federation.
/// Internal addresses (loopback, private, link-local, unspecified, multicast) are dropped unless
/// <paramref name="allowInternal"/>: a domain whose MX or A records, or an address literal, name one
/// of them is refused, so that mail to it cannot make the server connect into its own network
/// (a relay configured for that is not resolved here).
/// </summary>
internal sealed class MailHostResolver(IDnsQuery dns, int port, int maxHosts, bool allowInternal = false)
{
    public async Task<MailRoute> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                literal = literal[5..];
            }

            return IPAddress.TryParse(literal, out var address)
                ? Route(domain, [new MailHost(domain, [address], port)])
                : MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.2 Invalid address literal {domain}");
        }

        var mx = await QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        if (mx is null)
        {
            return MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 DNS lookup of the MX of {domain} failed");
        }

        if (mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.2 Domain {domain} does not exist");
        }

        var exchangers = mx.Answers.MxRecords().ToList();
        if (exchangers is [var only] && only.Exchange.Value == ".")
        {
            return MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.10 Domain {domain} accepts no mail (null MX)");
        }

        if (exchangers.Count == 0)
        {
            var implicitHost = await HostAsync(domain, [], cancellationToken).ConfigureAwait(false);
            return implicitHost is null
                ? MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 No MX and no address for {domain}")
                : Route(domain, [implicitHost]);
        }

        var ordered = exchangers
            .Where(r => r.Exchange.Value != ".")
            .OrderBy(r => r.Preference)
            .ThenBy(_ => Random.Shared.Next())
            .Take(maxHosts)
            .ToList();
        var hosts = new List<MailHost>();
        foreach (var exchanger in ordered)
        {
            if (await HostAsync(HostName(exchanger.Exchange), mx.Additionals, cancellationToken).ConfigureAwait(false) is { } host)
            {
                hosts.Add(host);
            }
        }

        return hosts.Count > 0
            ? Route(domain, hosts)
            : MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 No address for any MX host of {domain}");
    }

    /// <summary>The hosts with their internal addresses dropped; refused when nothing is left.</summary>
    private MailRoute Route(string domain, List<MailHost> hosts)
    {
        if (allowInternal)
        {
            return new MailRoute(hosts);
        }

        var allowed = hosts
            .Select(h => h with { Addresses = [.. h.Addresses.Where(a => !IsInternal(a))] })
            .Where(h => h.Addresses.Count > 0)
            .ToList();
        return allowed.Count > 0
            ? new MailRoute(allowed)
            : MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.4.4 The mail hosts of {domain} have only internal addresses");
    }

    /// <summary>
    /// Loopback, unspecified, private (RFC 1918, RFC 6598 shared, IPv6 unique local and site local),
    /// link-local, multicast and reserved addresses, IPv4 ones also when written as IPv6.
    /// </summary>
    internal static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && (b[1] & 0xC0) == 64) // 100.64.0.0/10, shared address space
                || (b[0] == 169 && b[1] == 254) // link-local (and cloud metadata services)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168);
        }

        var bytes = address.GetAddressBytes();
        return bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 // ::, ::1 and IPv4-compatible ::a.b.c.d
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    private async Task<MailHost?> HostAsync(string name, IReadOnlyCollection<DnsResourceRecord> additional, CancellationToken cancellationToken)
    {
        var glue = additional
            .OfType<AddressRecord>()
            .Where(r => string.Equals(HostName(r.DomainName), name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r is ARecord ? 0 : 1)
            .Select(r => r.Address)
            .ToList();
        if (glue.Count > 0)
        {
            return new MailHost(name, glue, port);
        }

        if (IPAddress.TryParse(name, out var literal))
        {
            return new MailHost(name, [literal], port);
        }

        var addresses = new List<IPAddress>();
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            var lookup = await QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            addresses.AddRange(lookup?.Answers.OfType<AddressRecord>().Select(r => r.Address) ?? []);
        }

        return addresses.Count > 0 ? new MailHost(name, addresses, port) : null;
    }

    /// <summary>The answer (NXDOMAIN included), or null when no server gave a usable one (SERVFAIL, REFUSED, timeout).</summary>
    private async Task<IDnsQueryResponse?> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dns.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.Header.ResponseCode is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain ? response : null;
        }
        catch (DnsResponseException)
        {
            return null;
        }
    }

    private static string HostName(DnsString name) => name.Value.TrimEnd('.');
}
