using System.Globalization;
using Converge.Core.Addressing;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>Reads the <c>Email</c> section, refusing the first wrong value naming its key.</summary>
internal static class EmailParser
{
    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)     {
        "Inbound", "Relay", "Domain", "MaxMessageBytes", "ValidateRelayCertificate", "ReplyWindow", "SessionInviteTimeout", "Templates",
    };

    /// <param name="sms">The <c>Sms</c> section, if any: the reply window, invitation timeout and templates
    /// the <c>Email</c> section leaves out are its (email used the SMS rules before it had its own).</param>
    public static EmailSettings? Parse(IConfiguration root, string xmppDomain, SmsSettings? sms, ICollection<string> warnings)
    {
        var section = root.GetSection("Email");
        if (!section.Exists())
        {
            return null;
        }

        foreach (var child in section.GetChildren())
        {
            if (!Keys.Contains(child.Key))
            {
                warnings.Add($"Email.{child.Key}: unknown key, ignored");
            }
        }

        System.Net.IPEndPoint? inbound = null;
        var inboundText = section["Inbound"] ?? "127.0.0.1:2525";
        if (inboundText.Length > 0 && !EndpointParser.TryParse(inboundText, out inbound, out var problem))
        {
            throw new ConfigurationException("Email.Inbound", problem);
        }

        var relay = section["Relay"];
        if (!string.IsNullOrEmpty(relay))
        {
            var colon = relay.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(relay.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ConfigurationException("Email.Relay", $"'{relay}' is not host:port");
            }
        }

        var domain = section["Domain"];
        if (string.IsNullOrEmpty(domain))
        {
            domain = xmppDomain;
        }
        else if (!Jid.TryParse(domain, out var jid) || !jid.IsDomain)
        {
            throw new ConfigurationException("Email.Domain", $"'{domain}' is not a domain name");
        }

        long max = 10 * 1024 * 1024;
        if (section["MaxMessageBytes"] is { Length: > 0 } maxText
            && (!long.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 1024))
        {
            throw new ConfigurationException("Email.MaxMessageBytes", $"'{maxText}' is not a size in bytes of at least 1024");
        }

        var validate = true;
        if (section["ValidateRelayCertificate"] is { Length: > 0 } v && !bool.TryParse(v, out validate))
        {
            throw new ConfigurationException("Email.ValidateRelayCertificate", $"'{v}' is not true or false");
        }

        return new EmailSettings(
            inbound,
            string.IsNullOrEmpty(relay) ? null : relay,
            domain.ToLowerInvariant(),
            max,
            validate,
            SmsParser.Span(section, "ReplyWindow", sms?.ReplyWindow ?? TimeSpan.FromHours(24))!.Value,
            SmsParser.Span(section, "SessionInviteTimeout", sms?.SessionInviteTimeout ?? TimeSpan.FromMinutes(10))!.Value,
            InterworkingTemplates.Read(section.GetSection("Templates"), sms?.Templates ?? InterworkingTemplates.Default));
    }
}
