namespace Converge.Configuration;

/// <summary>The <c>Listeners.WebSocket</c> section: XMPP over WebSocket (RFC 7395) on the HTTP listener.</summary>
internal sealed class WebSocketOptions
{
    /// <summary>
    /// Comma-separated IP addresses of TLS-terminating reverse proxies. Only a connection from one of
    /// them may say, with <c>X-Forwarded-Proto: https</c>, that the browser's side was encrypted.
    /// </summary>
    public string TrustedProxies { get; set; } = "";
}
