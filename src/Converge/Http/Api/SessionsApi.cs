using Converge.Admin;
using Converge.Core.Addressing;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary><c>/api/sessions</c>: who is online (all, or one user's resources), and ending sessions.</summary>
internal static class SessionsApi
{
    public static void MapSessions(this RouteGroupBuilder api)
    {
        api.MapGet("/sessions", (XmppService xmpp) => Results.Json(xmpp.Server.Sessions())).RequireScope(OperatorScope.Read);
        api.MapGet("/sessions/{jid}", (string jid, XmppService xmpp) =>
            Jid.TryParse(RouteJid(jid), out var address)
                ? Results.Json(xmpp.Server.Sessions(address.Bare))
                : Results.Json(new ApiError("bad-request", $"'{jid}' is not a JID"), statusCode: StatusCodes.Status400BadRequest))
            .RequireScope(OperatorScope.Read);
        api.MapPost("/sessions/{jid}/kick", KickAsync).RequireScope(OperatorScope.Admin);
    }

    /// <summary>Ends every session of a bare JID, or the one session of a full JID.</summary>
    internal static async Task<IResult> KickAsync(string jid, HttpContext http, XmppService xmpp, ILogger<AdminAuthentication> logger)
    {
        if (!Jid.TryParse(RouteJid(jid), out var address) || address.Local is null)
        {
            return Results.Json(new ApiError("bad-request", $"'{jid}' is not a user's JID"), statusCode: StatusCodes.Status400BadRequest);
        }

        var ended = await xmpp.Server.KickAsync(address, "Disconnected by an operator.").ConfigureAwait(false);
        AdminLog.SessionsKicked(logger, http.Caller().Name, address.ToString(), ended);
        return Results.Json(new KickResult(address.ToString(), ended));
    }

    // Routing decodes every escape in a path segment except %2F, which would look like a separator:
    // the '/' of a full JID arrives still escaped.
    private static string RouteJid(string segment) => segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
