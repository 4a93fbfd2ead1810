using Converge.Hosting;
using Converge.Xmpp.Upload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Converge.Http;

/// <summary>
/// <c>/upload/&lt;slot&gt;/&lt;file name&gt;</c>: the PUT and GET URLs of HTTP File Upload (XEP-0363). The
/// random slot is the only credential, as the XEP intends. Files are served so that a browser never
/// runs what a user uploaded as our page: only images inline, everything else as a download,
/// no sniffing, and a sandbox policy. CORS lets browser clients on other origins upload and fetch.
/// </summary>
internal static class UploadEndpoint
{
    private const string Route = "/upload/{slot}/{fileName}";

    /// <summary>Shown inline in a chat; SVG is missing on purpose (it can carry script).</summary>
    private static readonly HashSet<string> InlineTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
    };

    public static void MapUploads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Route, ["OPTIONS"], (HttpContext context) =>
        {
            Cors(context);
            context.Response.Headers.AccessControlAllowMethods = "GET, HEAD, PUT, OPTIONS";
            context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            context.Response.Headers.AccessControlMaxAge = "86400";
            return Results.NoContent();
        });

        endpoints.MapPut(Route, async (HttpContext context, XmppService xmpp, string slot, string fileName) =>
        {
            Cors(context);
            if (xmpp.Server.Uploads is not { } uploads)
            {
                return Results.NotFound();
            }

            // The slot's size is the real limit (checked while reading); this only lifts Kestrel's default.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = uploads.Settings.MaxFileSize + 1;
            }

            var outcome = await uploads.PutAsync(slot, fileName, context.Request.ContentLength, context.Request.ContentType, context.Request.Body, context.RequestAborted);
            return outcome switch
            {
                PutOutcome.Created => Results.StatusCode(StatusCodes.Status201Created),
                PutOutcome.UnknownSlot => Results.NotFound(),
                PutOutcome.AlreadyUsed => Results.Conflict(),
                PutOutcome.Expired => Results.StatusCode(StatusCodes.Status410Gone),
                PutOutcome.WrongContentType => Results.StatusCode(StatusCodes.Status415UnsupportedMediaType),
                _ => Results.BadRequest(),
            };
        });

        endpoints.MapMethods(Route, ["GET", "HEAD"], async (HttpContext context, XmppService xmpp, string slot, string fileName) =>
        {
            Cors(context);
            if (xmpp.Server.Uploads is not { } uploads || await uploads.FindAsync(slot, fileName, context.RequestAborted) is not { } file)
            {
                return Results.NotFound();
            }

            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            var disposition = new ContentDispositionHeaderValue(InlineTypes.Contains(MediaType(file.ContentType)) ? "inline" : "attachment");
            disposition.SetHttpFileName(file.FileName);
            headers.ContentDisposition = disposition.ToString();
            headers.CacheControl = "private, max-age=86400";
            return Results.File(file.Path, file.ContentType, enableRangeProcessing: true);
        });
    }

    private static void Cors(HttpContext context) => context.Response.Headers.AccessControlAllowOrigin = "*";

    private static string MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
    }
}
