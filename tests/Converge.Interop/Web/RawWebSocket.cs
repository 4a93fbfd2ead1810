using System.Net.WebSockets;
using System.Text;

namespace Converge.Interop.Web;

/// <summary>
/// A bare RFC 7395 client for hostile tests: it sends exactly the frames a test writes (two elements in
/// one, binary, oversized) and reads back each message the server sends, until the server closes.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket = new();

    private RawWebSocket()
    {
    }

    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<RawWebSocket> ConnectAsync(int httpPort, IReadOnlyDictionary<string, string>? headers = null, string? subProtocol = "xmpp")
    {
        var ws = new RawWebSocket();
        if (subProtocol is not null)
        {
            ws._socket.Options.AddSubProtocol(subProtocol);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            ws._socket.Options.SetRequestHeader(name, value);
        }

        using var cts = new CancellationTokenSource(Timeout);
        await ws._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/xmpp-websocket"), cts.Token);
        return ws;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(payload, type, endOfMessage: true, cts.Token);
    }

    /// <summary>The next text message, or null once the server closed the WebSocket.</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Every message until the server closes the WebSocket.</summary>
    public async Task<List<string>> ReceiveUntilClosedAsync()
    {
        var messages = new List<string>();
        while (await ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>Sends &lt;open/&gt; and reads the server's &lt;open/&gt; and stream features.</summary>
    public async Task<(string Open, string Features)> OpenAsync()
    {
        await SendAsync("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>");
        var open = await ReceiveAsync() ?? throw new InvalidOperationException("closed instead of <open/>");
        var features = await ReceiveAsync() ?? throw new InvalidOperationException("closed instead of <stream:features/>");
        return (open, features);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await Task.CompletedTask;
    }
}
