using Converge.Core.Federation;
using Converge.Hosting;
using Converge.Http.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http;

/// <summary>One agreement in force and what happened on it since start, as <c>GET /agreements</c> returns it.</summary>
internal sealed record AgreementReport(
    string Domain, string? Address, string[] Features, IReadOnlyList<string> NumberRanges, ExposurePolicy Expose, int StanzasPerSecond,
    long RefusedIn, long RefusedOut, Xmpp.Federation.PeerLinkReport? Links = null, long InterworkingSent = 0, bool IncludeSubdomains = false);

/// <summary>
/// <c>GET /agreements</c>: the interconnection agreements in force in the running server, with the
/// stanzas the policy refused per peer - the older name of <c>GET /api/agreements</c>, kept for scripts.
/// It names every peer, its address and number ranges and what was refused: an operator's business,
/// so it needs an operator token (read scope) like the API and lives on the admin listener when there
/// is one. Only <c>/health</c> and <c>/metrics</c> answer anybody.
/// </summary>
internal static class AgreementsEndpoint
{
    public static IEndpointConventionBuilder MapAgreements(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/agreements", (XmppService xmpp) => Results.Json(Reports(xmpp))).RequireScope(Admin.OperatorScope.Read);

    /// <summary>Every agreement in force with its links and counters (also <c>GET /api/agreements</c>).</summary>
    public static List<AgreementReport> Reports(XmppService xmpp)
    {
        var refusals = xmpp.Server.Refusals().ToDictionary(r => r.PeerDomain, StringComparer.Ordinal);
        var links = xmpp.Server.PeerLinks().ToDictionary(l => l.Domain, StringComparer.Ordinal);
        return xmpp.Server.Agreements.Agreements
            .OrderBy(a => a.PeerDomain, StringComparer.Ordinal)
            .Select(a => Report(a, refusals.GetValueOrDefault(a.PeerDomain)) with
            {
                Links = links.GetValueOrDefault(a.PeerDomain),
                InterworkingSent = xmpp.Server.InterworkingTaken(a.PeerDomain),
            })
            .ToList();
    }

    public static AgreementReport Report(InterconnectionAgreement a, Xmpp.Federation.AgreementRefusalCount? refused) =>
        new(a.PeerDomain, a.Address, FeatureNames(a.Features), a.NumberRanges, a.Expose, a.StanzasPerSecond, refused?.RefusedIn ?? 0, refused?.RefusedOut ?? 0)
        {
            IncludeSubdomains = a.IncludeSubdomains,
        };

    public static string[] FeatureNames(InterconnectionFeature features) =>
        [.. Enum.GetValues<InterconnectionFeature>().Where(f => f != InterconnectionFeature.None && features.HasFlag(f)).Select(f => f.ToString())];
}
