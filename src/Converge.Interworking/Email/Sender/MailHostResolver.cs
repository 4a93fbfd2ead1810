using System.Net;

namespace Converge.Interworking.Email;

/// <summary>
/// A domain's mail hosts (RFC 5321 §5.1): its MX records by preference (equal preferences in random
/// order), the domain itself when it has no MX (implicit MX), none for a null MX (RFC 7505).
/// Host addresses come from the additional section when present, otherwise from A and AAAA
/// lookups; IPv4 first.
/// </summary>
internal sealed class MailHostResolver(DnsResolver dns, int port, int maxHosts)
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
                ? new MailRoute([new MailHost(domain, [address], port)])
                : MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.2 Invalid address literal {domain}");
        }

        var mx = await dns.QueryAsync(domain, DnsRecordType.Mx, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case DnsLookupStatus.NameError:
                return MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.2 Domain {domain} does not exist");
            case DnsLookupStatus.Failure:
                return MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 DNS lookup of the MX of {domain} failed");
        }

        var exchangers = mx.Answers.Where(r => r.Type == DnsRecordType.Mx && r.Target is not null).ToList();
        if (exchangers.Count == 1 && exchangers[0].Target == ".")
        {
            return MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, $"5.1.10 Domain {domain} accepts no mail (null MX)");
        }

        if (exchangers.Count == 0)
        {
            var implicitHost = await HostAsync(domain, [], cancellationToken).ConfigureAwait(false);
            return implicitHost is null
                ? MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 No MX and no address for {domain}")
                : new MailRoute([implicitHost]);
        }

        var ordered = exchangers
            .Where(r => r.Target != ".")
            .OrderBy(r => r.Preference)
            .ThenBy(_ => Random.Shared.Next())
            .Take(maxHosts)
            .ToList();
        var hosts = new List<MailHost>();
        foreach (var exchanger in ordered)
        {
            if (await HostAsync(exchanger.Target!, mx.Additional, cancellationToken).ConfigureAwait(false) is { } host)
            {
                hosts.Add(host);
            }
        }

        return hosts.Count > 0
            ? new MailRoute(hosts)
            : MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 No address for any MX host of {domain}");
    }

    private async Task<MailHost?> HostAsync(string name, IReadOnlyList<DnsRecord> additional, CancellationToken cancellationToken)
    {
        var glue = additional
            .Where(r => r.Address is not null && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Type == DnsRecordType.A ? 0 : 1)
            .Select(r => r.Address!)
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
        foreach (var type in new[] { DnsRecordType.A, DnsRecordType.Aaaa })
        {
            var lookup = await dns.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            addresses.AddRange(lookup.Answers.Where(r => r.Type == type && r.Address is not null).Select(r => r.Address!));
        }

        return addresses.Count > 0 ? new MailHost(name, addresses, port) : null;
    }
}
