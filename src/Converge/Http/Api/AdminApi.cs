using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http.Api;

/// <summary>
/// The admin API under <c>/api/</c>, JSON, every endpoint behind <see cref="OperatorAccess"/>; its
/// OpenAPI document at <c>/api/openapi.json</c> (read scope too). docs/operations.md lists the endpoints.
/// </summary>
internal static class AdminApi
{
    public const string Prefix = "/api";

    public static void MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.MapStatus();
        api.MapUsers();
        api.MapSessions();
        api.MapAgreementsApi();
        api.MapOutbox();
        api.MapArchive();
        // It describes the operator's API, so it is read like the API: with a token.
        endpoints.MapOpenApi(Prefix + "/openapi.json").RequireScope(Admin.OperatorScope.Read);
    }
}
