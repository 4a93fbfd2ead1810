using System.Net;
using System.Text.Json;
using Converge.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace Converge.Http;

/// <summary>
/// The web chat at <c>/</c>: Converse.js, installed by the operator with npm into <c>WebChat.Path</c>
/// (we serve it, we do not bundle it), configured for our WebSocket URL and domain. Without it the
/// page says how to install it. Its files are served from the package's <c>dist</c> folder only.
/// </summary>
internal static class WebChatEndpoint
{
    public const string Version = "14.0.0";
    private const string AssetsPath = "/webchat/";

    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    public static void MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context, ConvergeSettings settings) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (settings.WebChatDirectory is not { } directory)
            {
                return Results.NotFound();
            }

            return IsInstalled(directory)
                ? Results.Content(ChatPage(settings), "text/html; charset=utf-8")
                : Results.Content(NotInstalledPage(directory), "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        // OMEMO's curve25519 code fetches its WebAssembly next to the page, not under assets_path.
        endpoints.MapGet("/curve25519_compiled.wasm", (HttpContext context, ConvergeSettings settings) => Asset(context, settings, "curve25519_compiled.wasm"));
        endpoints.MapGet(AssetsPath + "{**file}", (HttpContext context, ConvergeSettings settings, string file) => Asset(context, settings, file));
    }

    private static IResult Asset(HttpContext context, ConvergeSettings settings, string file)
    {
        {
            if (settings.WebChatDirectory is not { } directory)
            {
                return Results.NotFound();
            }

            // Only files under dist/: a path that leaves it (.., absolute, encoded) is not found.
            var root = Path.GetFullPath(Dist(directory)) + Path.DirectorySeparatorChar;
            var path = Path.GetFullPath(Path.Combine(root, file));
            if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
            {
                return Results.NotFound();
            }

            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(path, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
        }
    }

    /// <summary>True once Converse.js is in <paramref name="directory"/>.</summary>
    public static bool IsInstalled(string directory) => File.Exists(Path.Combine(Dist(directory), "converse.min.js"));

    private static string Dist(string directory) => Path.Combine(directory, "node_modules", "converse.js", "dist");

    private static string ChatPage(ConvergeSettings settings)
    {
        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["assets_path"] = AssetsPath,
            ["websocket_url"] = HostMetaEndpoint.WebSocketUrl(settings).AbsoluteUri,
            ["discover_connection_methods"] = false,
            ["default_domain"] = settings.Domain,
            ["domain_placeholder"] = settings.Domain,
            ["authentication"] = "login",
            ["auto_reconnect"] = true,
            ["allow_non_roster_messaging"] = true,
            ["allow_registration"] = false,
            ["show_connection_url_input"] = false,
            ["view_mode"] = "fullscreen",
        });

        // The configuration is JSON from our own settings; '<' is escaped so it cannot end the script.
        config = config.Replace("<", "\\u003c", StringComparison.Ordinal);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{WebUtility.HtmlEncode(settings.Domain)}} - chat</title>
              <link rel="stylesheet" href="{{AssetsPath}}converse.min.css">
            </head>
            <body class="converse-fullscreen">
              <noscript>This chat needs JavaScript.</noscript>
              <script type="module">
                import converse from "{{AssetsPath}}converse.min.js";
                converse.initialize({{config}});
              </script>
            </body>
            </html>
            """;
    }

    private static string NotInstalledPage(string directory) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Web chat not installed</title></head>
        <body>
          <h1>Web chat not installed</h1>
          <p>This server serves the Converse.js web chat once it is installed. On the server, run:</p>
          <pre>npm install --prefix {{WebUtility.HtmlEncode(directory)}} converse.js@{{Version}}</pre>
          <p>and reload this page (no restart needed). With <code>WebChat.AutoInstall</code> on (the default)
          and npm on the server's PATH, the server runs this itself at start-up: reload in a minute. Any XMPP client can connect meanwhile; browser clients
          find the WebSocket at <a href="/.well-known/host-meta.json">/.well-known/host-meta.json</a>.</p>
        </body>
        </html>
        """;

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".map"] = "application/json";
        provider.Mappings[".mjs"] = "text/javascript";
        return provider;
    }
}
