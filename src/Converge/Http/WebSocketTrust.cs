using System.Net;

namespace Converge.Http;

/// <summary>
/// Whether an XMPP-over-WebSocket connection is protected between the browser and us, so that a
/// password may cross it (RFC 7395 §7 leaves TLS to the WebSocket layer). A pure rule, tested alone.
/// </summary>
internal static class WebSocketTrust
{
    /// <param name="isHttps">The request came over our own TLS (wss://).</param>
    /// <param name="remote">The address that connected to us.</param>
    /// <param name="forwardedProto">The X-Forwarded-Proto header's values, if any.</param>
    /// <param name="trustedProxies">Listeners.WebSocket.TrustedProxies.</param>
    public static bool IsConfidential(bool isHttps, IPAddress? remote, IReadOnlyList<string> forwardedProto, IReadOnlyList<IPAddress> trustedProxies)
    {
        if (isHttps)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var forwarded = forwardedProto.Count > 0;
        var forwardedHttps = forwarded && forwardedProto.All(v => string.Equals(v.Trim(), "https", StringComparison.OrdinalIgnoreCase));
        if (trustedProxies.Contains(remote))
        {
            // Only a proxy we were told about may vouch for the browser's side, and only by saying so.
            return forwardedHttps;
        }

        // Loopback never leaves the machine - unless a local proxy says the browser's side was plain.
        return IPAddress.IsLoopback(remote) && (!forwarded || forwardedHttps);
    }
}
