using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Support;

/// <summary>
/// One TCP connection to the server under test, driven by hand: it writes exactly what the test
/// says and hands over every element the server sends, in order, until the stream ends. TLS swaps
/// the transport under it. <see cref="TestClient"/> (client-to-server) and
/// <see cref="Federation.RawPeer"/> (server-to-server) add their protocol's steps on top.
/// </summary>
/// <remarks>Abstract rather than sealed: the two kinds of connection differ only in those steps.</remarks>
internal abstract class RawXmppConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly XmlLimits ReadLimits = new() { MaxStanzaBytes = 16 * 1024 * 1024 };
    private readonly Socket _socket;
    private readonly bool _showsStreamHeaders;
    private Stream _stream;
    private Channel<XmlElement> _received = Channel.CreateUnbounded<XmlElement>();
    private Task _reader = Task.CompletedTask;
    private CancellationTokenSource _readerCts = new();

    /// <param name="socket">A connected socket; the connection owns it from here on.</param>
    /// <param name="showsStreamHeaders">Whether the server's stream headers are handed over too, as elements named "stream".</param>
    protected RawXmppConnection(Socket socket, bool showsStreamHeaders)
    {
        _socket = socket;
        _showsStreamHeaders = showsStreamHeaders;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    protected static async Task<Socket> ConnectSocketAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>Starts reading a new stream (what came before is dropped) and sends <paramref name="header"/>.</summary>
    protected async Task RestartStreamAsync(string header)
    {
        await StopReaderAsync();
        _received = Channel.CreateUnbounded<XmlElement>();
        _readerCts = new CancellationTokenSource();
        _reader = ReadAsync(_stream, _received.Writer, _readerCts.Token);
        await SendAsync(header);
    }

    /// <summary>TLS over the connection as it is, accepting any server certificate; the caller opens the new stream.</summary>
    protected async Task UpgradeToTlsAsync(string targetHost, X509Certificate2? clientCertificate = null)
    {
        await StopReaderAsync();
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null),
        });
        _stream = ssl;
    }

    public async Task SendAsync(string xml)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        await _stream.FlushAsync();
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Skips elements until one matches; fails after a timeout or when the stream ends first.</summary>
    public async Task<XmlElement> ExpectAsync(Func<XmlElement, bool> match, TimeSpan? timeout = null) =>
        await NextMatchAsync(match, timeout ?? Timeout)
        ?? throw new InvalidOperationException("the stream ended before a matching element arrived");

    /// <summary>Asserts that nothing matching arrives within <paramref name="wait"/> (an ended stream delivers nothing).</summary>
    public async Task ExpectNothingAsync(Func<XmlElement, bool> match, TimeSpan wait)
    {
        XmlElement? unexpected;
        try
        {
            unexpected = await NextMatchAsync(match, wait);
        }
        catch (TimeoutException)
        {
            return;
        }

        if (unexpected is not null)
        {
            throw new Xunit.Sdk.XunitException("unexpected element: " + unexpected);
        }
    }

    /// <summary>Reads to the end of the stream; returns the stream error condition, or null for a plain close.</summary>
    public async Task<string?> ExpectStreamEndAsync()
    {
        string? condition = null;
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await foreach (var e in _received.Reader.ReadAllAsync(cts.Token))
            {
                if (e.Name == "error" && e.Namespace == "http://etherx.jabber.org/streams")
                {
                    condition = e.FirstElement()?.Name;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the stream did not end");
        }

        return condition;
    }

    /// <summary>Cuts the TCP connection with a reset: the server sees no closing tag and no clean close.</summary>
    public async Task AbortAsync()
    {
        await StopReaderAsync();
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>The next element that matches, or null once the stream has ended.</summary>
    private async Task<XmlElement?> NextMatchAsync(Func<XmlElement, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _received.Reader.WaitToReadAsync(cts.Token))
            {
                while (_received.Reader.TryRead(out var element))
                {
                    if (match(element))
                    {
                        return element;
                    }
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no matching element arrived");
        }
    }

    private async Task StopReaderAsync()
    {
        await _readerCts.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync(Stream stream, ChannelWriter<XmlElement> sink, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var parser = new XmppStreamParser(ReadLimits);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var ended = false;
                while (parser.TryRead(ref buffer, out var ev))
                {
                    if (ev.Kind == XmppStreamEventKind.StreamClose)
                    {
                        ended = true;
                    }
                    else if (ev.Kind == XmppStreamEventKind.Element || _showsStreamHeaders)
                    {
                        sink.TryWrite(ev.Element!);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (ended || result.IsCompleted)
                {
                    sink.TryComplete();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or XmlStreamException or ObjectDisposedException)
        {
            sink.TryComplete();
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopReaderAsync();
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
