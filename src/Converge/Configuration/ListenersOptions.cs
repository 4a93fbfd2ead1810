namespace Converge.Configuration;

/// <summary>The <c>Listeners</c> section: "host:port" per door, an empty string disables it.</summary>
internal sealed class ListenersOptions
{
    public string Client { get; set; } = "127.0.0.1:5222";

    public string ClientDirectTls { get; set; } = "127.0.0.1:5223";

    /// <summary>Server-to-server (federation); validated now, served once federation lands.</summary>
    public string Server { get; set; } = "127.0.0.1:5269";

    public string Http { get; set; } = "127.0.0.1:5280";

    /// <summary>External components (XEP-0114); bound only when <c>Components</c> names one. Loopback: components run beside the server.</summary>
    public string Component { get; set; } = "127.0.0.1:5347";

    /// <summary>A separate listener for /api, /admin and /metrics; empty: they are served on <see cref="Http"/>.</summary>
    public string Admin { get; set; } = "";
    /// <summary>Serve the HTTP listener with TLS (the server certificate): https:// and wss://.</summary>
    public bool HttpTls { get; set; }

    /// <summary>
    /// The HTTP listener's address as clients reach it (e.g. behind a reverse proxy:
    /// <c>https://chat.example.com/</c>); empty: made from <see cref="Http"/>. Upload URLs, the
    /// WebSocket URL in host-meta and the web chat use it.
    /// </summary>
    public string HttpPublicUrl { get; set; } = "";

    public WebSocketOptions WebSocket { get; set; } = new();
}
