using Converge.Admin;
using Converge.Configuration;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary>The answer of <c>POST /api/agreements/reload</c>.</summary>
internal sealed record ReloadResult(int Agreements, bool Open);

/// <summary><c>/api/agreements</c>: the agreements in force with link state and counters; reload from the configuration file.</summary>
internal static class AgreementsApi
{
    public static void MapAgreementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/agreements", (XmppService xmpp) => Results.Json(AgreementsEndpoint.Reports(xmpp))).RequireScope(OperatorScope.Read);
        api.MapGet("/agreements/{domain}", (string domain, XmppService xmpp) =>
            AgreementsEndpoint.Reports(xmpp).FirstOrDefault(a => string.Equals(a.Domain, domain, StringComparison.OrdinalIgnoreCase)) is { } report
                ? Results.Json(report)
                : Results.Json(new ApiError("not-found", $"no agreement with {domain}"), statusCode: StatusCodes.Status404NotFound))
            .RequireScope(OperatorScope.Read);
        api.MapPost("/agreements/reload", ReloadAsync).RequireScope(OperatorScope.Admin);
    }

    private static async Task<IResult> ReloadAsync(HttpContext http, ConvergeSettings settings, AgreementReloader reloader, XmppService xmpp, ILogger<AdminAuthentication> logger)
    {
        if (settings.ConfigFile is not { } file)
        {
            return Results.Json(new ApiError("conflict", "the server runs without a configuration file; there is nothing to reload"), statusCode: StatusCodes.Status409Conflict);
        }

        if (await reloader.ReloadAsync(file).ConfigureAwait(false) is { } problem)
        {
            return Results.Json(new ApiError("invalid-configuration", problem), statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        AdminLog.AgreementsReloaded(logger, http.Caller().Name);
        var book = xmpp.Server.Agreements;
        return Results.Json(new ReloadResult(book.Agreements.Count, book.Open));
    }
}
