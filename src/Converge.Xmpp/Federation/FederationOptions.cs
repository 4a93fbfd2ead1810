using System.Net;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Xml;
using DnsClient;

namespace Converge.Xmpp.Federation;

/// <summary>How the server-to-server links (the interconnection) behave; the agreements themselves come from <see cref="IFederationPolicy"/>.</summary>
internal sealed class FederationOptions
{
    public const int DefaultPort = 5269;

    /// <summary>Where peers connect in (port 0 picks a free one); null: outbound links only.</summary>
    public IPEndPoint? Endpoint { get; init; } = new(IPAddress.Any, DefaultPort);

    /// <summary>Longest wait for one TCP connection attempt to one address of a peer.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest time from the first queued stanza to an authenticated link (DNS, TCP, TLS, dialback),
    /// and from an inbound connection to its first authenticated domain. Stanzas still queued then
    /// are bounced to their senders with remote-server-timeout.
    /// </summary>
    public TimeSpan LinkSetupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An outbound link with nothing to send for this long is closed; an inbound one with nothing received too.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stanzas waiting for one peer domain; beyond it new ones bounce with resource-constraint.</summary>
    public int MaxQueuedPerDomain { get; init; } = 10_000;

    /// <summary>
    /// Inbound connections open at once that have not yet authenticated a domain; further ones are
    /// refused. Authenticated links do not count, so strangers cannot take agreed peers' places.
    /// </summary>
    public int MaxInboundConnections { get; init; } = 1_000;

    /// <summary>Of those, the most from one address (IPv6: one /64); 0: no limit.</summary>
    public int MaxUnauthenticatedPerAddress { get; init; } = 20;

    /// <summary>
    /// Requests remembered per peer domain and direction so that their errors and IQ results may cross
    /// back; past it the oldest half is forgotten (their late replies are then dropped).
    /// </summary>
    public int MaxTrackedRequests { get; init; } = 10_000;

    /// <summary>How long a request sent to a peer, or received from one, can be answered across the link.</summary>
    public TimeSpan ReplyLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Limits on what a peer may send (stanza size, depth); separate from the client limits.</summary>
    public XmlLimits XmlLimits { get; init; } = new();

    /// <summary>The DNS server for SRV/A/AAAA look-ups; null reads /etc/resolv.conf (tests point it at a local responder). Not used when <see cref="Dns"/> is given.</summary>
    public IPEndPoint? DnsServer { get; init; }

    /// <summary>The resolver: the host gives the one it shares with the email sender; null makes DnsClient's own for <see cref="DnsServer"/>.</summary>
    public IDnsQuery? Dns { get; init; }

    /// <summary>Insist on TLS for every link, in and out (ejabberd's default does too).</summary>
    public bool RequireTls { get; init; } = true;

    /// <summary>
    /// Roots trusted for peers' certificates (SASL EXTERNAL, XEP-0178): a peer whose certificate
    /// chains to one of them and names its domain authenticates without dialback. Null trusts the
    /// system's roots.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>
    /// Domains besides the server's own that peers may address and we send from (e.g. a
    /// search.&lt;domain&gt; service). Each gets its own links, authenticated as that domain.
    /// </summary>
    public IReadOnlyCollection<string> HostedDomains { get; init; } = [];

    /// <summary>
    /// The dialback secret (XEP-0185); nodes of one deployment share it so any of them can answer
    /// a verification. Null draws a random one per process.
    /// </summary>
    public string? DialbackSecret { get; init; }

    internal IDnsQuery DnsResolver() => Dns ?? (DnsServer is { } server ? new LookupClient(server) : new LookupClient());
}
