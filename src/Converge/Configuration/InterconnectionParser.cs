using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Federation;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads the <c>Federation</c>, <c>Provider</c> and <c>Agreements</c> sections (dictionaries and
/// lists, which the property binder does not do), refusing the first wrong value naming its key.
/// </summary>
internal static class InterconnectionParser
{
    private static readonly HashSet<string> AgreementKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Address", "Features", "NumberRanges", "Expose", "StanzasPerSecond", "RequireCertificate", "InterworkingPerMinute", "RateLimit", "SubscriptionRateLimit", "IncludeSubdomains",
    };

    public static InterconnectionSettings Parse(IConfiguration root, string ownDomain, ICollection<string> warnings)
    {
        var open = ParseBool(root.GetSection("Federation:Open"), "Federation.Open") ?? false;
        foreach (var child in root.GetSection("Federation").GetChildren())
        {
            if (!child.Key.Equals("Open", StringComparison.OrdinalIgnoreCase) && !FederationLinkParser.Keys.Contains(child.Key))
            {
                warnings.Add($"Federation.{child.Key}: unknown key, ignored");
            }
        }

        var provider = root.GetSection("Provider");
        var name = NonEmpty(provider["Name"]);
        var logo = NonEmpty(provider["LogoUrl"]);
        if (logo is not null && !Uri.TryCreate(logo, UriKind.Absolute, out _))
        {
            throw new ConfigurationException("Provider.LogoUrl", $"'{logo}' is not an absolute URL");
        }

        var ownRanges = ParseRanges(provider.GetSection("NumberRanges"), "Provider.NumberRanges");

        // Trusted roots name the authority peers prove themselves with: once there are some, every peer must.
        var trustedRoots = root.GetSection("Federation:TrustedCertificates");
        var requireCertificateByDefault = !string.IsNullOrWhiteSpace(trustedRoots.Value) || trustedRoots.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));

        var agreements = new List<InterconnectionAgreement>();
        foreach (var section in root.GetSection("Agreements").GetChildren())
        {
            agreements.Add(ParseAgreement(section, ownDomain, requireCertificateByDefault, warnings));
        }

        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in ownRanges)
        {
            claimed[range] = "Provider.NumberRanges";
        }

        foreach (var agreement in agreements)
        {
            foreach (var range in agreement.NumberRanges)
            {
                if (!claimed.TryAdd(range, $"Agreements.{agreement.PeerDomain}.NumberRanges"))
                {
                    throw new ConfigurationException($"Agreements.{agreement.PeerDomain}.NumberRanges", $"'{range}' is already claimed by {claimed[range]}");
                }
            }
        }

        return new InterconnectionSettings(name, logo, ownRanges, new AgreementBook(open, agreements, ownRanges));
    }

    private static InterconnectionAgreement ParseAgreement(IConfigurationSection section, string ownDomain, bool requireCertificateByDefault, ICollection<string> warnings)
    {
        var key = "Agreements." + section.Key;
        if (!Jid.TryParse(section.Key, out var domainJid) || !domainJid.IsDomain)
        {
            throw new ConfigurationException(key, $"'{section.Key}' is not a domain name");
        }

        var domain = domainJid.Domain;
        if (domain == ownDomain)
        {
            throw new ConfigurationException(key, "an agreement with our own domain makes no sense");
        }

        foreach (var child in section.GetChildren())
        {
            if (!AgreementKeys.Contains(child.Key))
            {
                warnings.Add($"{key}.{child.Key}: unknown key, ignored");
            }
        }

        var address = NonEmpty(section["Address"]);
        if (address is not null)
        {
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ConfigurationException($"{key}.Address", $"'{address}' is not host:port");
            }
        }

        var features = InterconnectionFeature.None;
        foreach (var f in section.GetSection("Features").GetChildren())
        {
            if (!Enum.TryParse<InterconnectionFeature>(f.Value, ignoreCase: true, out var feature) || feature == InterconnectionFeature.None
                || !Enum.IsDefined(feature))
            {
                throw new ConfigurationException($"{key}.Features", $"'{f.Value}' is not one of {string.Join(", ", Enum.GetNames<InterconnectionFeature>().Where(n => n != nameof(InterconnectionFeature.None)))}");
            }

            features |= feature;
        }

        var expose = section.GetSection("Expose");
        var exposure = new ExposurePolicy(
            ParseBool(expose.GetSection("ProviderBranding"), $"{key}.Expose.ProviderBranding") ?? false,
            ParseBool(expose.GetSection("DeviceType"), $"{key}.Expose.DeviceType") ?? false,
            ParseBool(expose.GetSection("AccessNetwork"), $"{key}.Expose.AccessNetwork") ?? false);

        var rate = ParseCount(section, "StanzasPerSecond", key, "stanzas per second") ?? 0;
        var interworkingRate = ParseCount(section, "InterworkingPerMinute", key, "messages per minute") ?? InterconnectionAgreement.DefaultInterworkingPerMinute;
        var requireCertificate = ParseBool(section.GetSection("RequireCertificate"), $"{key}.RequireCertificate") ?? requireCertificateByDefault;
        var messageRate = ParseCount(section, "RateLimit", key, "messages per minute") ?? 0;
        var subscriptionRate = ParseCount(section, "SubscriptionRateLimit", key, "subscription requests per minute") ?? InterconnectionAgreement.DefaultSubscriptionRateLimit;
        var includeSubdomains = ParseBool(section.GetSection("IncludeSubdomains"), $"{key}.IncludeSubdomains") ?? false;

        return new InterconnectionAgreement(
            domain, address, features, ParseRanges(section.GetSection("NumberRanges"), $"{key}.NumberRanges"), exposure, rate, requireCertificate, interworkingRate,
            messageRate, subscriptionRate, includeSubdomains);
    }

    /// <summary>A whole number, zero or more; null when the key is not set.</summary>
    private static int? ParseCount(IConfigurationSection section, string name, string key, string unit)
    {
        if (NonEmpty(section[name]) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConfigurationException($"{key}.{name}", $"'{text}' is not a whole number of {unit}");
    }

    private static List<string> ParseRanges(IConfigurationSection section, string key)
    {
        var ranges = new List<string>();
        foreach (var child in section.GetChildren())
        {
            var text = child.Value ?? "";
            if (text.Length < 2 || text[0] != '+' || !text.AsSpan(1).ContainsOnlyDigits() || text.Length > 16)
            {
                throw new ConfigurationException(key, $"'{text}' is not a number prefix like +4930");
            }

            ranges.Add(text);
        }

        return ranges;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool? ParseBool(IConfigurationSection section, string key)
    {
        if (string.IsNullOrEmpty(section.Value))
        {
            return null;
        }

        return bool.TryParse(section.Value, out var value) ? value : throw new ConfigurationException(key, $"'{section.Value}' is not true or false");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
