using Converge.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Http.Api;

/// <summary>
/// The admin API's door: 401 with a challenge when nobody is authenticated, 403 when the operator's
/// scope is too small; otherwise the operator rides on the request for the handler's change log.
/// </summary>
internal static class OperatorAccess
{
    public const string Challenge = "Bearer realm=\"converge\", Basic realm=\"converge\", charset=\"UTF-8\"";

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, OperatorScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = http.RequestServices.GetRequiredService<AdminAuthentication>().Authenticate(http);
            if (caller is null)
            {
                http.Response.Headers.WWWAuthenticate = Challenge;
                return Results.Json(new ApiError("unauthorized", "an operator token (Authorization: Bearer) or an admin account is required"), statusCode: StatusCodes.Status401Unauthorized);
            }

            if (scope == OperatorScope.Admin && caller.Scope != OperatorScope.Admin)
            {
                return Results.Json(new ApiError("forbidden", "this needs a token with the admin scope"), statusCode: StatusCodes.Status403Forbidden);
            }

            http.Items[typeof(Operator)] = caller;
            return await next(context).ConfigureAwait(false);
        });

    /// <summary>The operator the filter let in.</summary>
    public static Operator Caller(this HttpContext context) => (Operator)context.Items[typeof(Operator)]!;
}
