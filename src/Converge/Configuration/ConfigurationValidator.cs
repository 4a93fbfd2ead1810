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
        RefuseSharedEndpoints(
            ("Listeners.Client", client), ("Listeners.ClientDirectTls", directTls), ("Listeners.Server", server), ("Listeners.Http", http), ("Listeners.Admin", admin));

        var provider = ValidateProvider(options.Storage.Provider);
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

        return new ConvergeSettings
        {
            Domain = domain,
            DataDirectory = dataDirectory,
            ClientEndpoint = client,
            ClientDirectTlsEndpoint = directTls,
            ServerEndpoint = server,
            HttpEndpoint = http,
            AdminEndpoint = admin,
            StorageProvider = provider,
            StoragePath = storagePath,
            Sqlite = options.Storage.Sqlite,
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            XmlLimits = options.Limits.Xml,
            ClientLimits = options.Limits.Client,
            ServerLimits = options.Limits.Server,
            SmtpLimits = options.Limits.Smtp,
            PepLimits = options.Limits.Pep,
            OfferChannelBinding = options.Tls.ChannelBinding,
            ArchiveRetention = options.Archive.Retention,
            GroupChat = ValidateGroupChat(options.GroupChat, domain),
            Warnings = warnings,
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

        return new Xmpp.GroupChat.GroupChatSettings
        {
            Enabled = options.Enabled,
            Domain = jid.Domain,
            RoomCreation = options.RoomCreation,
            HistorySize = options.HistorySize,
            MaxOccupants = options.MaxOccupants,
            MaxRooms = options.MaxRooms,
            MaxQueuedPerRoom = options.MaxQueuedPerRoom,
        };
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
            throw new ConfigurationException("Storage.Provider", "must not be empty (available: Sqlite)");
        }

        if (string.Equals(value, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return StorageProvider.Sqlite;
        }

        if (value.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "Npgsql", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException("Storage.Provider", $"'{value}' is not available in this build (available: Sqlite)");
        }

        throw new ConfigurationException("Storage.Provider", $"'{value}' is not a known storage provider (available: Sqlite)");
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
