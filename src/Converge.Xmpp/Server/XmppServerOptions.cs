using System.Net;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Server;

/// <summary>Everything the XMPP server needs from the host's configuration.</summary>
public sealed class XmppServerOptions
{
    /// <summary>The domain this deployment serves, e.g. "a.example".</summary>
    public required string Domain { get; init; }

    /// <summary>Client port with STARTTLS (RFC 6120); null to disable.</summary>
    public IPEndPoint? ClientEndpoint { get; init; }

    /// <summary>Client port with direct TLS (XEP-0368); null to disable.</summary>
    public IPEndPoint? ClientDirectTlsEndpoint { get; init; }

    public required X509Certificate2 Certificate { get; init; }

    /// <summary>HTTP File Upload (XEP-0363) on its own service domain; null: none.</summary>
    public Upload.UploadSettings? Upload { get; init; }

    /// <summary>Server-to-server listener (the interconnection, RFC 6120); null: no federation at all.</summary>
    public IPEndPoint? ServerEndpoint { get; init; }

    /// <summary>Require TLS on every server-to-server link (ejabberd's default does too).</summary>
    public bool FederationRequiresTls { get; init; } = true;

    /// <summary>DNS server for peers' SRV records; null reads /etc/resolv.conf.</summary>
    public IPEndPoint? FederationDnsServer { get; init; }

    /// <summary>The resolver the host shares between federation and email (built for <see cref="FederationDnsServer"/>); null: federation makes its own.</summary>
    public DnsClient.IDnsQuery? FederationDns { get; init; }

    // The link settings below are null where the host leaves them to the federation's own defaults.

    /// <summary>Longest wait for one TCP connection attempt to one address of a peer.</summary>
    public TimeSpan? FederationConnectTimeout { get; init; }

    /// <summary>Longest time to an authenticated link, in or out; stanzas still queued then bounce.</summary>
    public TimeSpan? FederationLinkSetupTimeout { get; init; }

    /// <summary>A link with nothing to send (outbound) or nothing received (inbound) for this long is closed.</summary>
    public TimeSpan? FederationIdleTimeout { get; init; }

    /// <summary>Stanzas waiting for one peer domain; beyond it new ones bounce with resource-constraint.</summary>
    public int? FederationMaxQueuedPerDomain { get; init; }

    /// <summary>Inbound server-to-server connections open at once; further ones are refused.</summary>
    public int? FederationMaxInboundConnections { get; init; }

    /// <summary>Roots trusted for peers' certificates (SASL EXTERNAL); null trusts the system's roots.</summary>
    public X509Certificate2Collection? FederationTrustedCertificates { get; init; }

    /// <summary>The dialback secret shared by every node of this deployment; null draws a random one per process.</summary>
    public string? FederationDialbackSecret { get; init; }

    /// <summary>
    /// Offer SCRAM-*-PLUS with tls-server-end-point channel binding. Off by default: .NET has no
    /// TLS exporter, and clients that only know tls-unique/tls-exporter (slixmpp, libstrophe) fail
    /// PLUS and are then refused on plain SCRAM by the downgrade protection (gs2 flag 'y').
    /// </summary>
    public bool OfferChannelBinding { get; init; }

    public XmlLimits Xml { get; init; } = new();

    /// <summary>The interconnection agreements at start (replace them later with <see cref="XmppServer.UpdateAgreements"/>).</summary>
    public Core.Federation.AgreementBook Agreements { get; init; } = Core.Federation.AgreementBook.Empty;

    /// <summary>A CPM user offline longer than this gets messages by SMS (Sms.FallbackAfter); null: never for that reason.</summary>
    public TimeSpan? SmsFallbackAfter { get; init; }

    /// <summary>Numbers the SMS gateway may send to (Sms.DestinationPrefixes and the home country).</summary>
    public Core.Interworking.SmsDestinationPolicy SmsDestinations { get; init; } = Core.Interworking.SmsDestinationPolicy.Open;

    /// <summary>SMS one sender may cause per UTC day (Sms.MaxPerSenderPerDay); 0: no limit.</summary>
    public int SmsMaxPerSenderPerDay { get; init; }

    /// <summary>This provider's name, shown to peers' users only where an agreement exposes branding.</summary>
    public string? ProviderName { get; init; }

    /// <summary>This provider's logo URL, exposed like the name.</summary>
    public string? ProviderLogoUrl { get; init; }

    /// <summary>How long archived messages are kept (XEP-0313); null keeps them until the user deletes them.</summary>
    public TimeSpan? ArchiveRetention { get; init; }

    /// <summary>Archive.QuotaBytesPerUser: past it a user's oldest archived messages are dropped; 0: no quota.</summary>
    public long ArchiveQuotaBytesPerUser { get; init; }

    /// <summary>Federation.Rtbl: real-time blocklists (pubsub nodes of hashed JIDs) applied to inbound federation.</summary>
    public IReadOnlyList<Federation.Rtbl.RtblSource> Rtbl { get; init; } = [];

    public ClientLimits Client { get; init; } = new();

    /// <summary>Limits of server-to-server links (Limits.Server).</summary>
    public Federation.ServerLimits Server { get; init; } = new();
    /// <summary>Group chat (XEP-0045) on its own service domain.</summary>
    public GroupChat.GroupChatSettings GroupChat { get; init; } = new();
    /// <summary>PEP and entity capabilities bounds.</summary>
    public Pep.PepLimits Pep { get; init; } = new();

    /// <summary>Listener for external components (XEP-0114); null: none. Served only when <see cref="Components"/> names one.</summary>
    public IPEndPoint? ComponentEndpoint { get; init; }

    /// <summary>The external components that may connect, each with its domain and secret.</summary>
    public IReadOnlyList<Components.ComponentSettings> Components { get; init; } = [];

    /// <summary>STUN/TURN services announced with XEP-0215; none: the feature is not offered.</summary>
    public ExternalServices.ExternalServicesSettings ExternalServices { get; init; } = new();

    /// <summary>
    /// XEP-0157 contact addresses in the server's disco#info, by field (<c>abuse-addresses</c>,
    /// <c>admin-addresses</c> ...), each a list of URIs (<c>mailto:</c>, <c>xmpp:</c>, <c>https:</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContactAddresses { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Push notifications (XEP-0357).</summary>
    public Push.PushSettings Push { get; init; } = new();
    /// <summary>The other nodes of a cluster (Converge.Cluster); a node alone tells nobody.</summary>
    internal Routing.Cluster.IClusterSessions Cluster { get; init; } = Routing.Cluster.SingleNode.Instance;
}
