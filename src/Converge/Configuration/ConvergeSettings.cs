using System.Net;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Server;
using Converge.Xmpp.Xml;

namespace Converge.Configuration;

/// <summary>The validated configuration: parsed endpoints, absolute paths. A null endpoint is a disabled listener.</summary>
internal sealed record ConvergeSettings
{
    /// <summary>The configured domain, case-folded (a JID domainpart).</summary>
    public required string Domain { get; init; }

    public required string DataDirectory { get; init; }

    public IPEndPoint? ClientEndpoint { get; init; }

    public IPEndPoint? ClientDirectTlsEndpoint { get; init; }

    public IPEndPoint? ServerEndpoint { get; init; }

    public IPEndPoint? HttpEndpoint { get; init; }

    /// <summary>Listeners.Admin: /api, /admin and /metrics on a listener of their own; null: on <see cref="HttpEndpoint"/>.</summary>
    public IPEndPoint? AdminEndpoint { get; init; }

    /// <summary>Accounts that may use the admin API with their password (Admin.Accounts).</summary>
    public AdminSettings Admin { get; init; } = AdminSettings.None;

    /// <summary>Logging.Format.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Simple;
    /// <summary>Listeners.HttpTls: https:// and wss:// on the HTTP listener.</summary>
    public bool HttpTls { get; init; }

    /// <summary>Where clients reach the HTTP listener (Listeners.HttpPublicUrl, or made from the endpoint); null without one.</summary>
    public Uri? HttpPublicUrl { get; init; }

    /// <summary>Listeners.WebSocket.TrustedProxies: TLS-terminating proxies whose X-Forwarded-Proto counts.</summary>
    public IReadOnlyList<IPAddress> WebSocketTrustedProxies { get; init; } = [];

    /// <summary>Where Converse.js was installed with npm (WebChat.Path); null when the web chat is off.</summary>
    public string? WebChatDirectory { get; init; }

    /// <summary>WebChat.AutoInstall: npm installs Converse.js into <see cref="WebChatDirectory"/> when it is missing.</summary>
    public bool WebChatAutoInstall { get; init; }

    /// <summary>HTTP File Upload; null when off or without an HTTP listener.</summary>
    public Xmpp.Upload.UploadSettings? Upload { get; init; }

    public StorageProvider StorageProvider { get; init; } = StorageProvider.Sqlite;

    public required string StoragePath { get; init; }

    public SqliteStoreOptions Sqlite { get; init; } = new();

    /// <summary>Storage.ConnectionString: the PostgreSQL database when <see cref="StorageProvider"/> is Postgres.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>The Cluster section, validated; null when the node is alone.</summary>
    public Cluster.Hosting.ClusterNodeSettings? Cluster { get; init; }

    /// <summary>Where the store is, for messages: the SQLite file, or the PostgreSQL server and database without the password.</summary>
    public string StorageDescription => StorageProvider == StorageProvider.Postgres
        ? Converge.Storage.Postgres.PostgresStores.Describe(StorageConnectionString ?? string.Empty)
        : StoragePath;

    /// <summary>Operator-supplied PEM certificate; null with <see cref="KeyPath"/> null means self-signed.</summary>
    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    /// <summary>Where a self-signed certificate is kept when none is configured.</summary>
    public string GeneratedCertificateDirectory => Path.Combine(DataDirectory, "tls");

    public required XmlLimits XmlLimits { get; init; }

    public required ClientLimits ClientLimits { get; init; }

    /// <summary>Limits.Server: server-to-server links.</summary>
    public Xmpp.Federation.ServerLimits ServerLimits { get; init; } = new();

    /// <summary>Limits.Smtp: the inbound SMTP listener.</summary>
    public Interworking.Email.SmtpLimits SmtpLimits { get; init; } = new();
    public Converge.Xmpp.Pep.PepLimits PepLimits { get; init; } = new();

    /// <summary>Provider identity and interconnection agreements.</summary>
    public InterconnectionSettings Interconnection { get; init; } = InterconnectionSettings.None;

    /// <summary>How the server-to-server links behave (timeouts, limits, trust, the dialback secret).</summary>
    public FederationLinkSettings FederationLinks { get; init; } = FederationLinkSettings.Defaults;

    /// <summary>SMS interworking; null when the configuration has no Sms section.</summary>
    public SmsSettings? Sms { get; init; }

    /// <summary>Email interworking; null when the configuration has no Email section.</summary>
    public EmailSettings? Email { get; init; }

    /// <summary>Offer SCRAM-*-PLUS (Tls.ChannelBinding).</summary>
    public bool OfferChannelBinding { get; init; }

    /// <summary>How long archived messages are kept (Archive.Retention); null: until the user deletes them.</summary>
    public TimeSpan? ArchiveRetention { get; init; }

    /// <summary>Archive.QuotaBytesPerUser; 0: no quota.</summary>
    public long ArchiveQuotaBytesPerUser { get; init; }

    /// <summary>The configuration file read, for reloads; null when running on defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Lines to log or print as warnings (unknown keys and the like); never fatal.</summary>
    /// <summary>Group chat (the GroupChat section), its domain resolved.</summary>
    public Xmpp.GroupChat.GroupChatSettings GroupChat { get; init; } = new();

    /// <summary>Listeners.Component: external components (XEP-0114); null: none.</summary>
    public IPEndPoint? ComponentEndpoint { get; init; }

    /// <summary>The Components section: the external components that may connect.</summary>
    public IReadOnlyList<Xmpp.Components.ComponentSettings> Components { get; init; } = [];

    /// <summary>ContactAddresses: XEP-0157 addresses by disco field name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContactAddresses { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>ExternalServices: XEP-0215 STUN/TURN entries.</summary>
    public Xmpp.ExternalServices.ExternalServicesSettings ExternalServices { get; init; } = new();

    /// <summary>Push notifications (the Push section).</summary>
    public Xmpp.Push.PushSettings Push { get; init; } = new();

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
