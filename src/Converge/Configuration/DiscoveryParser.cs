using System.Globalization;
using Converge.Xmpp.ExternalServices;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads what the server announces about itself beyond its features: <c>ContactAddresses</c>
/// (XEP-0157) and <c>ExternalServices</c> (XEP-0215 STUN/TURN). Both hold lists, so the property
/// binder does not see them.
/// </summary>
internal static class DiscoveryParser
{
    private static readonly string[] ContactKinds = ["Abuse", "Admin", "Feedback", "Sales", "Security", "Status", "Support"];

    private static readonly string[] ServiceKeys = ["Host", "Port", "Type", "Transport", "Name", "Secret", "Username", "Password"];

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ParseContactAddresses(IConfiguration root, ICollection<string> warnings)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var kind in root.GetSection("ContactAddresses").GetChildren())
        {
            var name = ContactKinds.FirstOrDefault(k => string.Equals(k, kind.Key, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                warnings.Add($"ContactAddresses.{kind.Key}: unknown key, ignored (one of {string.Join(", ", ContactKinds)})");
                continue;
            }

            var addresses = new List<string>();
            foreach (var entry in kind.GetChildren())
            {
                if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out _))
                {
                    throw new ConfigurationException($"ContactAddresses.{name}[{entry.Key}]", $"'{entry.Value}' is not a URI (mailto:, xmpp:, https:)");
                }

                addresses.Add(entry.Value!);
            }

            if (addresses.Count > 0)
            {
                result[name.ToLowerInvariant() + "-addresses"] = addresses;
            }
        }

        return result;
    }

    public static ExternalServicesSettings ParseExternalServices(IConfiguration root, ICollection<string> warnings)
    {
        var section = root.GetSection("ExternalServices");
        var lifetime = TimeSpan.FromDays(1);
        if (section["CredentialLifetime"] is { Length: > 0 } text
            && (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out lifetime) || lifetime <= TimeSpan.Zero))
        {
            throw new ConfigurationException("ExternalServices.CredentialLifetime", $"'{text}' is not a positive time span (e.g. 1.00:00:00)");
        }

        var services = new List<ExternalService>();
        foreach (var child in section.GetChildren())
        {
            if (string.Equals(child.Key, "CredentialLifetime", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!string.Equals(child.Key, "Services", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"ExternalServices.{child.Key}: unknown key, ignored");
                continue;
            }

            foreach (var entry in child.GetChildren())
            {
                services.Add(ParseService(entry, $"ExternalServices.Services[{entry.Key}]", warnings));
            }
        }

        return new ExternalServicesSettings { Services = services, CredentialLifetime = lifetime };
    }

    private static ExternalService ParseService(IConfigurationSection entry, string key, ICollection<string> warnings)
    {
        foreach (var child in entry.GetChildren())
        {
            if (!ServiceKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                warnings.Add($"{key}.{child.Key}: unknown key, ignored");
            }
        }

        var host = entry["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ConfigurationException($"{key}.Host", "must name the service's host");
        }

        var type = entry["Type"];
        if (string.IsNullOrWhiteSpace(type))
        {
            throw new ConfigurationException($"{key}.Type", "must be set (stun, turn, turns ...)");
        }

        int? port = null;
        if (entry["Port"] is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                throw new ConfigurationException($"{key}.Port", $"'{portText}' is not a port number");
            }

            port = p;
        }

        var transport = entry["Transport"] is { Length: > 0 } t ? t.ToLowerInvariant() : null;
        if (transport is not (null or "udp" or "tcp"))
        {
            throw new ConfigurationException($"{key}.Transport", $"'{transport}' is neither udp nor tcp");
        }

        var secret = entry["Secret"] is { Length: > 0 } s ? s : null;
        var username = entry["Username"] is { Length: > 0 } u ? u : null;
        if (secret is not null && username is not null)
        {
            throw new ConfigurationException($"{key}.Secret", "set either Secret (credentials made per request) or Username/Password, not both");
        }

        return new ExternalService
        {
            Host = host,
            Port = port,
            Type = type.ToLowerInvariant(),
            Transport = transport,
            Name = entry["Name"] is { Length: > 0 } n ? n : null,
            Secret = secret,
            Username = username,
            Password = entry["Password"] is { Length: > 0 } pw ? pw : null,
        };
    }
}
