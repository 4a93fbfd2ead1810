using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Converge.Http;

/// <summary>
/// With <c>Listeners.Admin</c> set, the operator's paths (<c>/api</c>, <c>/admin</c>, <c>/metrics</c>, <c>/agreements</c>) answer
/// only on that listener and the public ones only on <c>Listeners.Http</c> (<c>/health</c> on both). Decided
/// by the port the connection came in on, not by the Host header a client chooses.
/// </summary>
internal static class AdminListenerSplit
{
    private static readonly string[] OperatorPaths = ["/api", "/admin", "/metrics", "/agreements"];

    public static IApplicationBuilder UseAdminListenerSplit(this IApplicationBuilder app, int adminPort) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var onAdmin = context.Connection.LocalPort == adminPort;
            var operatorPath = OperatorPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
            if (!path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) && operatorPath != onAdmin)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context).ConfigureAwait(false);
        });
}
