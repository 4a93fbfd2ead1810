using System.Net;
using Converge.Core.Addressing;

namespace Converge.Configuration;

/// <summary>
/// Turns the options as written into <see cref="ConvergeSettings"/>, refusing the first wrong value
/// with a <see cref="ConfigurationException"/> that names its key. Relative paths are resolved
/// against <c>baseDirectory</c> (the configuration file's folder, or the current directory).
/// </summary>
internal static class ConfigurationValidator
{
    public static ConvergeSettings Validate(ConvergeOptions options, string baseDirectory, IReadOnlyList<string> warnings)
    {
        var domain = ValidateDomain(options.Domain);
        var dataDirectory = ResolvePath("DataDirectory", options.DataDirectory, baseDirectory)
            ?? throw new ConfigurationException("DataDirectory", "must not be empty");

        var listeners = options.Listeners;
        var client = ParseEndpoint("Listeners.Client", listeners.Client);
        var directTls = ParseEndpoint("Listeners.ClientDirectTls", listeners.ClientDirectTls);
        var server = ParseEndpoint("Listeners.Server", listeners.Server);
        var http = ParseEndpoint("Listeners.Http", listeners.Http);
        var admin = ParseEndpoint("Listeners.Admin", listeners.Admin);
        var component = ParseEndpoint("Listeners.Component", listeners.Component);
        RefuseSharedEndpoints(
            ("Listeners.Client", client), ("Listeners.ClientDirectTls", directTls), ("Listeners.Server", server), ("Listeners.Http", http), ("Listeners.Admin", admin));

        var provider = ValidateProvider(options.Storage.Provider);
        var connectionString = ValidateConnectionString(provider, options.Storage.ConnectionString);
        var storagePath = ResolvePath("Storage.Path", options.Storage.Path, baseDirectory)
            ?? Path.Combine(dataDirectory, "converge.db");

        var certificatePath = ResolvePath("Tls.CertificatePath", options.Tls.CertificatePath, baseDirectory);
        var keyPath = ResolvePath("Tls.KeyPath", options.Tls.KeyPath, baseDirectory);
        if (certificatePath is null != keyPath is null)
        {
            var missing = certificatePath is null ? "Tls.CertificatePath" : "Tls.KeyPath";
            throw new ConfigurationException(missing, "missing: Tls.CertificatePath and Tls.KeyPath are set together or not at all");
        }

        RequireFile("Tls.CertificatePath", certificatePath);
        RequireFile("Tls.KeyPath", keyPath);

        var publicUrl = ValidatePublicUrl(listeners, http, domain);
        var upload = ValidateUpload(options.Upload, domain, dataDirectory, publicUrl);

        // A zero or negative period would make the first retention pass empty every archive.
        if (options.Archive.Retention is { } retention && retention <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Archive.Retention", "must be positive (unset keeps messages)");
        }

        return new ConvergeSettings
        {
            Domain = domain,
            DataDirectory = dataDirectory,
            ClientEndpoint = client,
            ClientDirectTlsEndpoint = directTls,
            ServerEndpoint = server,
            HttpEndpoint = http,
            AdminEndpoint = admin,
            ComponentEndpoint = component,
            HttpTls = listeners.HttpTls,
            HttpPublicUrl = publicUrl,
            WebSocketTrustedProxies = ParseAddresses("Listeners.WebSocket.TrustedProxies", listeners.WebSocket.TrustedProxies),
            Upload = upload,
            WebChatAutoInstall = options.WebChat.Enabled && options.WebChat.AutoInstall,
            WebChatDirectory = options.WebChat.Enabled
                ? ResolvePath("WebChat.Path", options.WebChat.Path, baseDirectory) ?? Path.Combine(dataDirectory, "webchat")
                : null,
            StorageProvider = provider,
            StoragePath = storagePath,
            Sqlite = options.Storage.Sqlite,
            StorageConnectionString = connectionString,
            Cluster = ValidateCluster(options.Cluster, provider, connectionString),
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            XmlLimits = options.Limits.Xml,
            ClientLimits = options.Limits.Client,
            ServerLimits = options.Limits.Server,
            SmtpLimits = options.Limits.Smtp,
            PepLimits = options.Limits.Pep,
            OfferChannelBinding = options.Tls.ChannelBinding,
            ArchiveRetention = options.Archive.Retention,
            ArchiveQuotaBytesPerUser = options.Archive.QuotaBytesPerUser,
            GroupChat = ValidateGroupChat(options.GroupChat, domain),
            Push = ValidatePush(options.Push),
            Warnings = warnings,
        };
    }

    /// <summary>A cluster shares its state through PostgreSQL; every port or id it needs beyond the name has a default.</summary>
    private static Cluster.Hosting.ClusterNodeSettings? ValidateCluster(ClusterOptions options, StorageProvider provider, string? connectionString)
    {
        if (!options.Enabled)
        {
            return null;
        }

        if (provider != StorageProvider.Postgres || connectionString is null)
        {
            throw new ConfigurationException("Cluster.Enabled", "a cluster needs Storage.Provider Postgres (its nodes share the database; SQLite is one node's file)");
        }

        var name = string.IsNullOrWhiteSpace(options.NodeName) ? Environment.MachineName : options.NodeName.Trim();
        if (name.Length > 150 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ConfigurationException("Cluster.NodeName", $"'{name}' must be at most 150 characters without spaces");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            throw new ConfigurationException("Cluster.SiloPort", $"{options.SiloPort} is not a port number");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            throw new ConfigurationException("Cluster.GatewayPort", $"{options.GatewayPort} is not a port number of its own");
        }

        System.Net.IPAddress? address = null;
        if (!string.IsNullOrEmpty(options.Address) && !System.Net.IPAddress.TryParse(options.Address, out address))
        {
            throw new ConfigurationException("Cluster.Address", $"'{options.Address}' is not an IP address");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            throw new ConfigurationException("Cluster.ClusterId", "must not be empty");
        }

        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Cluster.ProbeTimeout", "must be greater than zero");
        }

        if (options.MissedProbesLimit < 1)
        {
            throw new ConfigurationException("Cluster.MissedProbesLimit", "must be at least 1");
        }

        // Renewed every quarter of it; under a second the renewals would be most of the outbox's statements.
        if (options.OutboxLaneLease < TimeSpan.FromSeconds(1) || options.OutboxLaneLease > TimeSpan.FromHours(1))
        {
            throw new ConfigurationException("Cluster.OutboxLaneLease", $"{options.OutboxLaneLease} must be between 00:00:01 and 01:00:00");
        }

        return new Cluster.Hosting.ClusterNodeSettings
        {
            NodeName = name,
            ConnectionString = connectionString,
            ClusterId = options.ClusterId,
            SiloPort = options.SiloPort,
            GatewayPort = options.GatewayPort,
            Address = address,
            ProbeTimeout = options.ProbeTimeout,
            MissedProbesLimit = options.MissedProbesLimit,
            OutboxLaneLease = options.OutboxLaneLease,
        };
    }

    private static Xmpp.GroupChat.GroupChatSettings ValidateGroupChat(GroupChatOptions options, string domain)
    {
        var serviceDomain = string.IsNullOrEmpty(options.Domain) ? "conference." + domain : options.Domain;
        if (!Jid.TryParse(serviceDomain, out var jid) || !jid.IsDomain)
        {
            throw new ConfigurationException("GroupChat.Domain", $"'{serviceDomain}' is not a valid domain name");
        }

        if (jid.Domain == domain || jid.Domain == "search." + domain)
        {
            throw new ConfigurationException("GroupChat.Domain", $"'{jid.Domain}' is already served (the domain itself or its user directory); name a domain of its own such as conference.{domain}");
        }

        if (options.MaxSessionsPerNick is < 1 or > 100)
        {
            throw new ConfigurationException("GroupChat.MaxSessionsPerNick", "must be between 1 (one session per nick) and 100");
        }

        return new Xmpp.GroupChat.GroupChatSettings
        {
            Enabled = options.Enabled,
            Domain = jid.Domain,
            RoomCreation = options.RoomCreation,
            HistorySize = options.HistorySize,
            MaxOccupants = options.MaxOccupants,
            MaxRooms = options.MaxRooms,
            MaxQueuedPerRoom = options.MaxQueuedPerRoom,
            MaxSessionsPerNick = options.MaxSessionsPerNick,
        };
    }

    private static Xmpp.Push.PushSettings ValidatePush(Xmpp.Push.PushSettings push)
    {
        if (push.MaxRegistrationsPerAccount < 1)
        {
            throw new ConfigurationException("Push.MaxRegistrationsPerAccount", "must be at least 1 (set Push.Enabled to false to offer no push)");
        }

        if (push.MaxPublishOptionsBytes < 256)
        {
            throw new ConfigurationException("Push.MaxPublishOptionsBytes", "must be at least 256 bytes (an app server's secret must fit)");
        }

        if (push.MaxRoomNicks < 0)
        {
            throw new ConfigurationException("Push.MaxRoomNicks", "must be 0 (no group-chat mention notifications) or more");
        }

        if (push.MaxPendingNotifications < 1)
        {
            throw new ConfigurationException("Push.MaxPendingNotifications", "must be at least 1");
        }

        return push;
    }

    private static string ValidateDomain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ConfigurationException("Domain", "must not be empty");
        }

        if (!Jid.TryParse(value, out var jid) || !jid.IsDomain)
        {
            throw new ConfigurationException("Domain", $"'{value}' is not a valid domain name");
        }

        return jid.Domain;
    }

    private static Uri? ValidatePublicUrl(ListenersOptions listeners, IPEndPoint? http, string domain)
    {
        if (http is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(listeners.HttpPublicUrl))
        {
            // Unspecified and wildcard addresses are not places a client can go: the domain is.
            var host = http.Address.Equals(IPAddress.Any) || http.Address.Equals(IPAddress.IPv6Any)
                ? domain
                : http.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{http.Address}]" : http.Address.ToString();
            return new Uri($"{(listeners.HttpTls ? "https" : "http")}://{host}:{http.Port}/");
        }

        if (!Uri.TryCreate(listeners.HttpPublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw new ConfigurationException("Listeners.HttpPublicUrl", $"'{listeners.HttpPublicUrl}' is not an http:// or https:// URL without query");
        }

        // A base URL ends in '/', so that relative paths (upload/..., xmpp-websocket) go under it.
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private static Xmpp.Upload.UploadSettings? ValidateUpload(UploadOptions upload, string domain, string dataDirectory, Uri? publicUrl)
    {
        if (!upload.Enabled || publicUrl is null)
        {
            return null;
        }

        var uploadDomain = string.IsNullOrEmpty(upload.Domain) ? "upload." + domain : ValidateServiceDomain("Upload.Domain", upload.Domain, domain);
        if (upload.MaxFileSize <= 0)
        {
            throw new ConfigurationException("Upload.MaxFileSize", "must be a positive number of bytes");
        }

        if (upload.QuotaBytesPerUser < upload.MaxFileSize)
        {
            throw new ConfigurationException("Upload.QuotaBytesPerUser", $"must be at least Upload.MaxFileSize ({upload.MaxFileSize})");
        }

        if (upload.SlotLifetime <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Upload.SlotLifetime", "must be positive");
        }

        if (upload.ExpireAfter is { } expire && expire <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Upload.ExpireAfter", "must be positive (leave it empty to keep files)");
        }

        return new Xmpp.Upload.UploadSettings
        {
            Domain = uploadDomain,
            PublicUrl = publicUrl,
            Directory = Path.Combine(dataDirectory, "uploads"),
            MaxFileSize = upload.MaxFileSize,
            QuotaBytesPerUser = upload.QuotaBytesPerUser,
            ExpireAfter = upload.ExpireAfter,
            SlotLifetime = upload.SlotLifetime,
        };
    }

    private static string ValidateServiceDomain(string key, string value, string domain)
    {
        if (!Jid.TryParse(value, out var jid) || !jid.IsDomain || jid.Domain == domain)
        {
            throw new ConfigurationException(key, $"'{value}' is not a domain name of its own");
        }

        return jid.Domain;
    }

    private static IReadOnlyList<IPAddress> ParseAddresses(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var addresses = new List<IPAddress>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            addresses.Add(IPAddress.TryParse(part, out var address)
                ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
                : throw new ConfigurationException(key, $"'{part}' is not an IP address"));
        }

        return addresses;
    }

    private static IPEndPoint? ParseEndpoint(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return EndpointParser.TryParse(value, out var endpoint, out var problem)
            ? endpoint
            : throw new ConfigurationException(key, problem);
    }

    private static void RefuseSharedEndpoints(params (string Key, IPEndPoint? Endpoint)[] listeners)
    {
        for (var i = 0; i < listeners.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (key, endpoint) = listeners[i];
                var (otherKey, other) = listeners[j];
                if (endpoint is not null && endpoint.Port != 0 && endpoint.Equals(other))
                {
                    throw new ConfigurationException(key, $"{endpoint} is already used by {otherKey}");
                }
            }
        }
    }

    private static StorageProvider ValidateProvider(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ConfigurationException("Storage.Provider", "must not be empty (available: Sqlite, Postgres)");
        }

        if (string.Equals(value, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return StorageProvider.Sqlite;
        }

        if (string.Equals(value, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            return StorageProvider.Postgres;
        }

        throw new ConfigurationException("Storage.Provider", $"'{value}' is not a known storage provider (available: Sqlite, Postgres)");
    }

    private static string? ValidateConnectionString(StorageProvider provider, string? value)
    {
        if (provider != StorageProvider.Postgres)
        {
            return value;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException(
                "Storage.ConnectionString", "missing: Provider Postgres needs a connection string such as 'Host=db;Database=converge;Username=converge;Password=...'");
        }

        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new ConfigurationException("Storage.ConnectionString", "names no Host");
            }
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword; the value itself may hold a password and is not repeated.
            throw new ConfigurationException("Storage.ConnectionString", $"is not a valid Npgsql connection string: {e.Message.ReplaceLineEndings(" ")}");
        }

        return value;
    }

    private static string? ResolvePath(string key, string? value, string baseDirectory)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigurationException(key, "is not a valid path");
        }

        return Path.GetFullPath(value, baseDirectory);
    }

    private static void RequireFile(string key, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new ConfigurationException(key, $"file '{path}' does not exist");
        }
    }
}
