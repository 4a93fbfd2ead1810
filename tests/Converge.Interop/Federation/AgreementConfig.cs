using System.Globalization;
using System.Text.Json.Nodes;

namespace Converge.Interop.Federation;

/// <summary>
/// The configuration a federation test adds to a <see cref="Support.ConvergeServer"/>: no open
/// federation, an agreement for every feature with each peer (its server-to-server listener as the
/// static Address, its number range where given), and Converge's own log at Debug, where link
/// set-up and refusals are written.
/// </summary>
internal static class AgreementConfig
{
    private static readonly string[] AllFeatures = ["Messaging", "Presence", "Subscription", "Search", "Sessions"];

    /// <param name="ownRange">The provider's own number range (Provider.NumberRanges), if any.</param>
    /// <param name="peers">Per peer: its domain, its server-to-server port on loopback, its number range if any.</param>
    public static JsonObject With(string? ownRange, params (string Domain, int Port, string? Range)[] peers)
    {
        var agreements = new JsonObject();
        foreach (var (domain, port, range) in peers)
        {
            var agreement = new JsonObject
            {
                ["Address"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"),
                ["Features"] = new JsonArray([.. AllFeatures.Select(f => JsonValue.Create(f))]),
            };
            if (range is not null)
            {
                agreement["NumberRanges"] = new JsonArray(range);
            }

            agreements[domain] = agreement;
        }

        var config = new JsonObject
        {
            ["Federation"] = new JsonObject { ["Open"] = false },
            ["Agreements"] = agreements,
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Converge"] = "Debug" } },
        };
        if (ownRange is not null)
        {
            config["Provider"] = new JsonObject { ["NumberRanges"] = new JsonArray(ownRange) };
        }

        return config;
    }
}
