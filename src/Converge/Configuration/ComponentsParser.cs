using Converge.Core.Addressing;
using Converge.Xmpp.Components;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads <c>Components</c>, a list of <c>{ "Domain": ..., "Secret": ... }</c> (XEP-0114 external
/// components). A list of sections, so the property binder does not see it.
/// </summary>
internal static class ComponentsParser
{
    /// <summary>Shorter secrets are guessable; the handshake is the component's only proof.</summary>
    private const int MinSecretLength = 16;

    public static IReadOnlyList<ComponentSettings> Parse(IConfiguration root, ConvergeSettings settings, ICollection<string> warnings)
    {
        var components = new List<ComponentSettings>();
        var taken = new HashSet<string>(StringComparer.Ordinal)
        {
            settings.Domain, "search." + settings.Domain, settings.GroupChat.Domain ?? "conference." + settings.Domain,
        };
        if (settings.Upload is { } upload)
        {
            taken.Add(upload.Domain);
        }

        foreach (var entry in root.GetSection("Components").GetChildren())
        {
            var key = $"Components[{entry.Key}]";
            foreach (var child in entry.GetChildren())
            {
                if (!string.Equals(child.Key, "Domain", StringComparison.OrdinalIgnoreCase) && !string.Equals(child.Key, "Secret", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"{key}.{child.Key}: unknown key, ignored");
                }
            }

            var domain = entry["Domain"];
            if (!Jid.TryParse(domain, out var jid) || !jid.IsDomain)
            {
                throw new ConfigurationException($"{key}.Domain", $"'{domain}' is not a domain name");
            }

            if (!taken.Add(jid.Domain))
            {
                throw new ConfigurationException($"{key}.Domain", $"'{jid.Domain}' is already served (the domain, one of its services or another component)");
            }

            var secret = entry["Secret"];
            if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
            {
                throw new ConfigurationException($"{key}.Secret", $"must be at least {MinSecretLength} characters");
            }

            components.Add(new ComponentSettings(jid.Domain, secret));
        }

        return components;
    }
}
