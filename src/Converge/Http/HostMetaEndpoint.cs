using System.Text.Json.Nodes;
using Converge.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http;

/// <summary>
/// XEP-0156: <c>/.well-known/host-meta</c> (XRD, RFC 6415) and <c>/.well-known/host-meta.json</c> name
/// the WebSocket URL, so that a browser client given only the domain finds where to connect. Readable
/// from any origin: a web client is usually served from elsewhere.
/// </summary>
internal static class HostMetaEndpoint
{
    public const string WebSocketRel = "urn:xmpp:alt-connections:websocket";

    public static void MapHostMeta(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/.well-known/host-meta", (HttpContext context, ConvergeSettings settings) =>
        {
            AllowAnyOrigin(context);
            var xrd = $"""
                <?xml version='1.0' encoding='utf-8'?>
                <XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
                  <Link rel='{WebSocketRel}' href='{System.Security.SecurityElement.Escape(WebSocketUrl(settings).AbsoluteUri)}'/>
                </XRD>

                """;
            return Results.Text(xrd, "application/xrd+xml; charset=utf-8");
        });
        endpoints.MapGet("/.well-known/host-meta.json", (HttpContext context, ConvergeSettings settings) =>
        {
            AllowAnyOrigin(context);
            var json = new JsonObject
            {
                ["links"] = new JsonArray(new JsonObject { ["rel"] = WebSocketRel, ["href"] = WebSocketUrl(settings).AbsoluteUri }),
            };
            return Results.Text(json.ToJsonString(), "application/json; charset=utf-8");
        });
    }

    /// <summary>The public WebSocket URL: the HTTP listener's public URL with ws(s):// and the endpoint's path.</summary>
    public static Uri WebSocketUrl(ConvergeSettings settings)
    {
        var http = settings.HttpPublicUrl!;
        var builder = new UriBuilder(new Uri(http, WebSocketEndpoint.Path.TrimStart('/')))
        {
            Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        return builder.Uri;
    }

    private static void AllowAnyOrigin(HttpContext context) => context.Response.Headers.AccessControlAllowOrigin = "*";
}
