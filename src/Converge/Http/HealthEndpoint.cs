using Converge.Configuration;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http;

/// <summary><c>GET /health</c>: 200 with a small JSON body while the process serves; for load balancers and probes.</summary>
internal static class HealthEndpoint
{
    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/health", (ConvergeSettings settings, XmppService xmpp) =>
            Results.Json(new HealthReport("ok", settings.Domain, xmpp.Server.SessionCount)));
}
