using Converge.Admin;
using Converge.Hosting;
using Converge.Xmpp.Im;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary>What <c>GET /api/archive/retention</c> answers: the configured period and the last pass since start.</summary>
/// <param name="Period">Archive.Retention in seconds, or null when archived messages are kept for ever.</param>
internal sealed record ArchiveRetentionView(double? Period, ArchiveRetentionRun? Last);

/// <summary>
/// <c>/api/archive/retention</c>: the last archive retention pass (<c>GET</c>, read) and a pass now
/// (<c>POST</c>, admin; 409 when Archive.Retention is not set, as there is nothing to apply).
/// </summary>
internal static class ArchiveApi
{
    public static void MapArchive(this RouteGroupBuilder api)
    {
        api.MapGet("/archive/retention", (XmppService xmpp) =>
            Results.Json(new ArchiveRetentionView(xmpp.Server.ArchiveRetentionPeriod?.TotalSeconds, xmpp.Server.LastArchiveRetention)))
            .RequireScope(OperatorScope.Read);
        api.MapPost("/archive/retention", RunAsync).RequireScope(OperatorScope.Admin);
    }

    private static async Task<IResult> RunAsync(HttpContext http, XmppService xmpp, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken)
    {
        var caller = http.Caller().Name;
        if (await xmpp.Server.RunArchiveRetentionAsync(caller, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return Results.Json(new ApiError("conflict", "Archive.Retention is not set: archived messages are kept for ever"), statusCode: StatusCodes.Status409Conflict);
        }

        AdminLog.RetentionRun(logger, caller, run.Deleted);
        return run.Error is null
            ? Results.Json(run)
            : Results.Json(new ApiError("storage", $"the retention pass failed: {run.Error}"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
