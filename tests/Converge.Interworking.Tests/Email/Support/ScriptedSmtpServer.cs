using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// A server that answers each line it receives from a script, for peers no real server imitates
/// (an old HELO-only server). Every line received is kept, so a test sees exactly what was sent.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string> _answer;
    private readonly Task _loop;

    public ScriptedSmtpServer(string greeting, Func<string, string> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = ServeAsync(greeting);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> Received { get; } = new();

    private async Task ServeAsync(string greeting)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        using var reader = new StreamReader(client.GetStream(), Encoding.Latin1);
        await using var writer = new StreamWriter(client.GetStream(), Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync(greeting);
        var inData = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            Received.Enqueue(line);
            if (inData)
            {
                if (line == ".")
                {
                    inData = false;
                    await writer.WriteLineAsync("250 2.0.0 Accepted");
                }

                continue;
            }

            var answer = _answer(line);
            await writer.WriteLineAsync(answer);
            inData = answer.StartsWith("354", StringComparison.Ordinal);
            if (answer.StartsWith("221", StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or TimeoutException)
        {
        }
    }
}
