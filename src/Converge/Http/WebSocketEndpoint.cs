using Converge.Configuration;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http;

/// <summary>
/// <c>/xmpp-websocket</c>: XMPP over WebSocket (RFC 7395). The handshake must ask for the <c>xmpp</c>
/// subprotocol; the connection is then served by the XMPP server like a TCP client.
/// </summary>
internal static class WebSocketEndpoint
{
    public const string Path = "/xmpp-websocket";
    public const string SubProtocol = "xmpp";

    public static IEndpointConventionBuilder MapXmppWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, async (HttpContext context, XmppService xmpp, ConvergeSettings settings) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.Headers.Upgrade = "websocket";
                context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
                await context.Response.WriteAsync("XMPP over WebSocket (RFC 7395): connect with the 'xmpp' subprotocol.\n", context.RequestAborted);
                return;
            }

            if (!context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal))
            {
                // RFC 7395 §3.1: a handshake without the subprotocol is not an XMPP stream.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("The 'xmpp' WebSocket subprotocol is required.\n", context.RequestAborted);
                return;
            }

            var remote = context.Connection.RemoteIpAddress;
            var confidential = WebSocketTrust.IsConfidential(
                context.Request.IsHttps, remote, [.. context.Request.Headers["X-Forwarded-Proto"].Where(v => v is not null).Select(v => v!)], settings.WebSocketTrustedProxies);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = SubProtocol,
                KeepAliveInterval = settings.ClientLimits.KeepaliveInterval,
            });
            await xmpp.Server.ServeWebSocketAsync(socket, remote, confidential, context.RequestAborted);
        });
}
