using Converge.Core.Addressing;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads <c>Admin.Accounts</c> (a list of bare JIDs in the served domain) and <c>Logging.Format</c>
/// (<c>simple</c> or <c>json</c>); both are lists or live in a section the logging library owns, so
/// the property binder does not see them.
/// </summary>
internal static class AdminParser
{
    public static AdminSettings Parse(IConfiguration root, string domain, ICollection<string> warnings)
    {
        var section = root.GetSection("Admin");
        var accounts = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (!string.Equals(child.Key, "Accounts", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"Admin.{child.Key}: unknown key, ignored");
                continue;
            }

            foreach (var entry in child.GetChildren())
            {
                var key = $"Admin.Accounts[{entry.Key}]";
                if (!Jid.TryParse(entry.Value, out var jid) || jid.Local is null || jid.Resource is not null)
                {
                    throw new ConfigurationException(key, $"'{entry.Value}' is not a bare JID (user@{domain})");
                }

                if (!string.Equals(jid.Domain, domain, StringComparison.Ordinal))
                {
                    throw new ConfigurationException(key, $"'{entry.Value}' is not an account of the served domain {domain}");
                }

                accounts.Add(jid.ToString());
            }
        }

        return new AdminSettings(accounts);
    }

    public static LogFormat ParseLogFormat(IConfiguration root) => root["Logging:Format"] switch
    {
        null or "" or "simple" => LogFormat.Simple,
        "json" => LogFormat.Json,
        var other => throw new ConfigurationException("Logging.Format", $"'{other}' is neither 'simple' nor 'json'"),
    };
}
