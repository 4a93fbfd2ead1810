using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>A client that writes exactly the bytes a test gives it and reads the replies, for misbehaviour the real tools never show.</summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _pending = [];

    private RawSmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endpoint)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        return new RawSmtpClient(tcp);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line (CRLF added) and returns the reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>The next whole reply, lines joined with "\n" (e.g. "250-a\n250 b").</summary>
    public async Task<string> ReadReplyAsync(int timeoutMs = 5000)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeoutMs) ?? throw new IOException("Closed before a complete reply; got: " + string.Join("\n", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return string.Join("\n", lines);
            }
        }
    }

    /// <summary>True when the server closes the connection within the timeout (after any pending bytes).</summary>
    public async Task<bool> IsClosedAsync(int timeoutMs = 5000)
    {
        try
        {
            while (await ReadLineAsync(timeoutMs) is not null)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        _stream = tls;
    }

    private async Task<string?> ReadLineAsync(int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[4096];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(_pending.Take(newline).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
