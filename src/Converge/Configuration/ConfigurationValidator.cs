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
        RefuseSharedEndpoints(
            ("Listeners.Client", client), ("Listeners.ClientDirectTls", directTls), ("Listeners.Server", server), ("Listeners.Http", http));

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

        return new ConvergeSettings
        {
            Domain = domain,
            DataDirectory = dataDirectory,
            ClientEndpoint = client,
            ClientDirectTlsEndpoint = directTls,
            ServerEndpoint = server,
            HttpEndpoint = http,
            StorageProvider = provider,
            StoragePath = storagePath,
            Sqlite = options.Storage.Sqlite,
            StorageConnectionString = connectionString,
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            XmlLimits = options.Limits.Xml,
            ClientLimits = options.Limits.Client,
            OfferChannelBinding = options.Tls.ChannelBinding,
            ArchiveRetention = options.Archive.Retention,
            Warnings = warnings,
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
