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

    public StorageProvider StorageProvider { get; init; } = StorageProvider.Sqlite;

    public required string StoragePath { get; init; }

    public SqliteStoreOptions Sqlite { get; init; } = new();

    /// <summary>Storage.ConnectionString: the PostgreSQL database when <see cref="StorageProvider"/> is Postgres.</summary>
    public string? StorageConnectionString { get; init; }

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

    /// <summary>The configuration file read, for reloads; null when running on defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Lines to log or print as warnings (unknown keys and the like); never fatal.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
