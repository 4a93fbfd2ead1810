using System.Net;
using DnsClient;

namespace Converge.Interworking.Email;

/// <summary>
/// Outbound SMTP: a smart host or direct MX delivery, TLS policy and the timeouts of
/// RFC 5321 §4.5.3.2 (the connect timeout is not the RFC's: it sets none).
/// </summary>
public sealed class SmtpSenderOptions
{
    /// <summary>"host:port" (port 25 when omitted; "[::1]:2526" for IPv6) of a smart host; null sends to each domain's MX.</summary>
    public string? Relay { get; set; }

    /// <summary>The name given in EHLO: the sending host's fully qualified name.</summary>
    public string HeloName { get; set; } = "localhost";

    /// <summary>The port MX hosts are reached on (25; other values are for tests).</summary>
    public int MxPort { get; set; } = 25;

    /// <summary>
    /// Connect to MX hosts (or address literals) at loopback, private or link-local addresses. Off: such
    /// a domain is refused (5.4.4), so that mail cannot be aimed into the server's own network; a
    /// <see cref="Relay"/> is never checked. On is for tests that run the receiving server on loopback.
    /// </summary>
    public bool AllowInternalMailHosts { get; set; }

    /// <summary>The resolver for MX and addresses: the host gives the one it shares with federation; null makes one for <see cref="DnsServer"/>.</summary>
    public IDnsQuery? Dns { get; set; }

    /// <summary>The DNS server asked when no <see cref="Dns"/> is given; null uses the name servers of /etc/resolv.conf.</summary>
    public IPEndPoint? DnsServer { get; set; }

    /// <summary>How long one DNS server may take to answer, when no <see cref="Dns"/> is given.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Use STARTTLS when the server offers it (opportunistic TLS, RFC 3207).</summary>
    public bool UseStartTls { get; set; } = true;

    /// <summary>Refuse to send in clear: a server without STARTTLS, or a failed handshake, is a transient failure.</summary>
    public bool RequireTls { get; set; }

    /// <summary>Check the server certificate against the host name. Opportunistic TLS to MX hosts often cannot; tests turn it off.</summary>
    public bool ValidateServerCertificate { get; set; } = true;

    /// <summary>MX hosts tried per domain, in preference order.</summary>
    public int MaxMxHosts { get; set; } = 5;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The greeting, EHLO and STARTTLS, each reply: 5 minutes (RFC 5321 §4.5.3.2.1).</summary>
    public TimeSpan GreetingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each reply of the transaction (MAIL, RCPT, DATA, the message): 10 minutes. MailKit applies one
    /// timeout to every read and write, so this is the longest of RFC 5321 §4.5.3.2 (the final dot's).
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    internal IDnsQuery DnsResolver()
    {
        if (Dns is not null)
        {
            return Dns;
        }

        var options = DnsServer is { } server ? new LookupClientOptions(server) : new LookupClientOptions();
        options.Timeout = DnsTimeout;
        return new LookupClient(options);
    }
}
