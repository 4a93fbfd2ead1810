using System.Globalization;
using Converge.Core.Addressing;
using Converge.Interworking.Sms;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>Reads the <c>Sms</c> section (absent: no SMS interworking), refusing the first wrong value naming its key.</summary>
internal static class SmsParser
{
    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Smsc", "SystemId", "Password", "SystemType", "Binds", "Window", "SourceNumbers", "FallbackAfter", "ReplyWindow",
        "SessionInviteTimeout", "DataCoding", "Use16BitReference", "Templates", "CountryCode", "NationalPrefix",
        "DestinationPrefixes", "HomeCountryCode", "MaxPerSenderPerDay", "ReceiptIdBase", "InDoubtHold", "ReportTracking", "Tls",
    };

    private static readonly HashSet<string> TlsKeys = new(StringComparer.OrdinalIgnoreCase) { "Enabled", "ServerName", "CertificateAuthority" };

    /// <param name="baseDirectory">What a relative <c>Sms.Tls.CertificateAuthority</c> is resolved against (the configuration file's folder).</param>
    public static SmsSettings? Parse(IConfiguration root, ICollection<string> warnings, string baseDirectory)
    {
        var section = root.GetSection("Sms");
        if (!section.Exists())
        {
            return null;
        }

        foreach (var child in section.GetChildren())
        {
            if (!Keys.Contains(child.Key))
            {
                warnings.Add($"Sms.{child.Key}: unknown key, ignored");
            }
        }

        var smsc = section["Smsc"];
        if (string.IsNullOrWhiteSpace(smsc))
        {
            throw new ConfigurationException("Sms.Smsc", "missing: the SMSC's host:port");
        }

        var colon = smsc.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(smsc.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ConfigurationException("Sms.Smsc", $"'{smsc}' is not host:port");
        }

        var systemId = section["SystemId"];
        if (string.IsNullOrEmpty(systemId) || systemId.Length > 15)
        {
            throw new ConfigurationException("Sms.SystemId", "missing or longer than 15 characters (SMPP system_id)");
        }

        var smpp = new SmppOptions
        {
            Host = smsc[..colon].Trim('[', ']'),
            Port = port,
            SystemId = systemId,
            Password = section["Password"] ?? "",
            SystemType = section["SystemType"] ?? "",
            Binds = PositiveInt(section, "Binds", 1),
            Window = PositiveInt(section, "Window", 10),
            DefaultDataCoding = (byte)Math.Min(255, NonNegativeInt(section, "DataCoding", 0)),
            Use16BitReference = Bool(section, "Use16BitReference"),
            CountryCode = CountryCode(section, "CountryCode"),
            NationalPrefix = NationalPrefix(section),
            ReceiptIdBase = ReceiptIdBase(section),
            Tls = Tls(section.GetSection("Tls"), baseDirectory, warnings),
        };
        if (smpp.Password.Length > 8)
        {
            throw new ConfigurationException("Sms.Password", "longer than 8 characters (SMPP 3.4 password)");
        }

        var numbers = new List<string>();
        foreach (var child in section.GetSection("SourceNumbers").GetChildren())
        {
            if (!E164.TryNormalize(child.Value, out var number) || number is null)
            {
                throw new ConfigurationException("Sms.SourceNumbers", $"'{child.Value}' is not an E.164 number like +4940555000");
            }

            numbers.Add(number);
        }

        var templates = InterworkingTemplates.Read(section.GetSection("Templates"), InterworkingTemplates.Default);

        return new SmsSettings(
            smpp,
            numbers,
            Span(section, "FallbackAfter", null),
            Span(section, "ReplyWindow", TimeSpan.FromHours(24))!.Value,
            Span(section, "SessionInviteTimeout", TimeSpan.FromMinutes(10))!.Value,
            templates,
            new SmsDestinationRules(Prefixes(section, "Allow"), Prefixes(section, "Deny"), CountryCode(section, "HomeCountryCode")),
            NonNegativeInt(section, "MaxPerSenderPerDay", SmsDestinationRules.DefaultMaxPerSenderPerDay),
            Span(section, "InDoubtHold", TimeSpan.FromMinutes(2))!.Value,
            Span(section, "ReportTracking", TimeSpan.FromDays(3))!.Value);
    }

    /// <summary>Sms.Tls: { Enabled, ServerName, CertificateAuthority }; a name or CA without Enabled is a mistake worth a warning.</summary>
    private static SmppTlsOptions Tls(IConfigurationSection s, string baseDirectory, ICollection<string> warnings)
    {
        foreach (var child in s.GetChildren())
        {
            if (!TlsKeys.Contains(child.Key))
            {
                warnings.Add($"Sms.Tls.{child.Key}: unknown key, ignored");
            }
        }

        var serverName = s["ServerName"]?.Trim();
        if (serverName is { Length: 0 })
        {
            serverName = null;
        }

        if (serverName is not null && Uri.CheckHostName(serverName) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            throw new ConfigurationException("Sms.Tls.ServerName", $"'{serverName}' is not a host name");
        }

        var tls = new SmppTlsOptions
        {
            Enabled = Bool(s, "Enabled"),
            ServerName = serverName,
            TrustedRoots = FederationLinkParser.Certificates(s.GetSection("CertificateAuthority"), baseDirectory, "Sms.Tls.CertificateAuthority"),
        };
        if (!tls.Enabled && (tls.ServerName is not null || tls.TrustedRoots is not null))
        {
            warnings.Add("Sms.Tls: ServerName or CertificateAuthority set but Enabled is not true: the SMSC is reached without TLS");
        }

        return tls;
    }

    /// <summary>Sms.DestinationPrefixes.Allow / Deny: E.164 prefixes ("+4990" for premium rate), each written '+' and digits.</summary>
    private static IReadOnlyList<string> Prefixes(IConfigurationSection s, string list)
    {
        var prefixes = new List<string>();
        foreach (var child in s.GetSection("DestinationPrefixes").GetSection(list).GetChildren())
        {
            var text = child.Value?.Replace(" ", "", StringComparison.Ordinal);
            if (text is null || text.Length < 2 || text[0] != '+' || text[1] == '0' || !text.AsSpan(1).ToString().All(char.IsAsciiDigit) || text.Length > 16)
            {
                throw new ConfigurationException($"Sms.DestinationPrefixes.{list}", $"'{child.Value}' is not an E.164 prefix like +4990");
            }

            prefixes.Add(text);
        }

        return prefixes;
    }

    /// <summary>The country calling code national sender numbers belong to ("49"; a leading '+' is allowed), or null.</summary>
    private static string? CountryCode(IConfigurationSection s, string key)
    {
        var text = s[key]?.Trim().TrimStart('+');
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length <= 3 && text[0] != '0' && text.All(char.IsAsciiDigit)
            ? text
            : throw new ConfigurationException("Sms." + key, $"'{s[key]}' is not a country calling code like 49 (1 to 3 digits, the first not 0)");
    }

    private static string NationalPrefix(IConfigurationSection s)
    {
        var text = s["NationalPrefix"];
        if (text is null)
        {
            return "0";
        }

        return text.Length <= 3 && text.All(char.IsAsciiDigit)
            ? text
            : throw new ConfigurationException("Sms.NationalPrefix", $"'{text}' is not a trunk prefix like 0 (up to 3 digits, or empty for none)");
    }

    private static int PositiveInt(IConfigurationSection s, string key, int fallback)
    {
        var v = NonNegativeInt(s, key, fallback);
        return v > 0 ? v : throw new ConfigurationException("Sms." + key, "must be at least 1");
    }

    private static int NonNegativeInt(IConfigurationSection s, string key, int fallback)
    {
        var text = s[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new ConfigurationException("Sms." + key, $"'{text}' is not a whole number");
    }

    private static SmppReceiptIdBase ReceiptIdBase(IConfigurationSection s)
    {
        var text = s["ReceiptIdBase"];
        return string.IsNullOrEmpty(text) ? SmppReceiptIdBase.Same
            : Enum.TryParse<SmppReceiptIdBase>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.AsSpan().Trim().ContainsAnyInRange('0', '9')
                ? value
                : throw new ConfigurationException("Sms.ReceiptIdBase", $"'{text}' is not one of Same, Decimal, Hex");
    }

    private static bool Bool(IConfigurationSection s, string key)
    {
        var text = s[key];
        return string.IsNullOrEmpty(text) ? false : bool.TryParse(text, out var v) ? v : throw new ConfigurationException($"{s.Path.Replace(':', '.')}.{key}", $"'{text}' is not true or false");
    }

    /// <summary>A positive time span under <paramref name="s"/> (refused naming <c>Section.Key</c>), or <paramref name="fallback"/>.</summary>
    internal static TimeSpan? Span(IConfigurationSection s, string key, TimeSpan? fallback)
    {
        var text = s[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var v) && v > TimeSpan.Zero
            ? v
            : throw new ConfigurationException($"{s.Path.Replace(':', '.')}.{key}", $"'{text}' is not a positive time span like 00:05:00");
    }
}
