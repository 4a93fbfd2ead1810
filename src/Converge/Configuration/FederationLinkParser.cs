using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads the link keys of the <c>Federation</c> section (timeouts, limits, TLS, trust, the dialback
/// secret), refusing the first wrong value naming its key. <c>Federation.Open</c> belongs to the
/// agreements and is read with them by <see cref="InterconnectionParser"/>.
/// </summary>
internal static class FederationLinkParser
{
    // XEP-0185 keys dialback with SHA256(secret): a short secret would be guessed from one key offline.
    private const int MinSecretLength = 16;

    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ConnectTimeout", "LinkSetupTimeout", "IdleTimeout", "MaxQueuedPerDomain", "MaxInboundConnections", "RequireTls",
        "TrustedCertificates", "DialbackSecret", "DnsServer", "Rtbl",
    };

    /// <param name="baseDirectory">What relative certificate paths are resolved against (the configuration file's folder).</param>
    public static FederationLinkSettings Parse(IConfiguration root, string baseDirectory)
    {
        var section = root.GetSection("Federation");
        return new FederationLinkSettings
        {
            ConnectTimeout = Span(section, "ConnectTimeout"),
            LinkSetupTimeout = Span(section, "LinkSetupTimeout"),
            IdleTimeout = Span(section, "IdleTimeout"),
            MaxQueuedPerDomain = Count(section, "MaxQueuedPerDomain"),
            MaxInboundConnections = Count(section, "MaxInboundConnections"),
            RequireTls = Bool(section, "RequireTls") ?? true,
            TrustedCertificates = Certificates(section.GetSection("TrustedCertificates"), baseDirectory, "Federation.TrustedCertificates"),
            DialbackSecret = Secret(section["DialbackSecret"]),
            DnsServer = DnsServer(section["DnsServer"]),
            Rtbl = Rtbl(section.GetSection("Rtbl")),
        };
    }

    /// <summary>Federation.Rtbl: a list of { Service, Node }, each a pubsub node of SHA-256 hashed JIDs.</summary>
    private static IReadOnlyList<Xmpp.Federation.Rtbl.RtblSource> Rtbl(IConfigurationSection section)
    {
        var sources = new List<Xmpp.Federation.Rtbl.RtblSource>();
        foreach (var entry in section.GetChildren())
        {
            var key = $"Federation.Rtbl[{entry.Key}]";
            var service = Core.Addressing.BlockableDomain.Normalize(entry["Service"])
                ?? throw new ConfigurationException(key + ".Service", $"'{entry["Service"]}' is not a service domain, like xmppbl.org");
            var node = entry["Node"] is { Length: > 0 and <= 256 } n && !n.Any(char.IsControl)
                ? n
                : throw new ConfigurationException(key + ".Node", "a pubsub node name is required, like muc_bans_sha256");
            sources.Add(new(service, node));
        }

        return sources;
    }

    private static TimeSpan? Span(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new ConfigurationException("Federation." + key, $"'{text}' is not a positive time span like 00:00:30 (hh:mm:ss)");
    }

    /// <summary>An IP address with an optional port (53): the resolver asked for peers' SRV and address records.</summary>
    private static IPEndPoint? DnsServer(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint))
        {
            throw new ConfigurationException("Federation.DnsServer", $"'{text}' is not an IP address with an optional port, like 192.0.2.53 or 127.0.0.1:5353");
        }

        return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint;
    }

    private static int? Count(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ConfigurationException("Federation." + key, $"'{text}' is not a whole number greater than zero");
    }

    private static bool? Bool(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return bool.TryParse(text, out var value) ? value : throw new ConfigurationException("Federation." + key, $"'{text}' is not true or false");
    }

    /// <summary>One path or a list of them; each a PEM file of one or more certificates (also <c>Sms.Tls.CertificateAuthority</c>).</summary>
    internal static X509Certificate2Collection? Certificates(IConfigurationSection section, string baseDirectory, string key)
    {
        var paths = string.IsNullOrWhiteSpace(section.Value)
            ? section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList()
            : [section.Value];
        if (paths.Count == 0)
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        foreach (var written in paths)
        {
            if (written.Contains('\0', StringComparison.Ordinal))
            {
                throw new ConfigurationException(key, "is not a valid path");
            }

            var path = Path.GetFullPath(written.Trim(), baseDirectory);
            if (!File.Exists(path))
            {
                throw new ConfigurationException(key, $"file '{path}' does not exist");
            }

            var before = certificates.Count;
            try
            {
                certificates.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException(key, $"'{path}' cannot be read as PEM certificates: {e.Message.ReplaceLineEndings(" ")}", e);
            }

            if (certificates.Count == before)
            {
                throw new ConfigurationException(key, $"'{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        }

        return certificates;
    }

    // The value is never echoed: it is a secret.
    private static string? Secret(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Trim().Length >= MinSecretLength
            ? text
            : throw new ConfigurationException("Federation.DialbackSecret", $"shorter than {MinSecretLength} characters; use a long random string, the same on every node");
    }
}
