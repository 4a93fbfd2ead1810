using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http.Console;

/// <summary>
/// The web console at <c>/admin</c>: three files embedded in the binary (no build step, nothing from
/// the internet). The page itself holds no data; it logs in against <c>/api</c> with a token or an admin
/// account and reads <c>/metrics</c>. A strict content security policy allows only these files.
/// </summary>
internal static class ConsoleEndpoint
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/admin", "index.html", "text/html; charset=utf-8"),
        ("/admin/console.js", "console.js", "text/javascript; charset=utf-8"),
        ("/admin/console.css", "console.css", "text/css; charset=utf-8"),
        ("/admin/icon.svg", "icon.svg", "image/svg+xml"),
    ];

    public static void MapConsole(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var content = Load(resource);
            endpoints.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = Policy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(content, contentType);
            }).ExcludeFromDescription();
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(ConsoleEndpoint).Assembly.GetManifestResourceStream("Converge.Console." + name)
            ?? throw new InvalidOperationException($"the console file {name} is not embedded in this build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
