using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A hand-driven peer server for bad-input tests: it writes exactly what the test says on a
/// server-to-server connection and shows everything that comes back (the stream header as an
/// element named "stream"), so a test can misbehave at any step.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private Stream _stream;
    private Channel<XmlElement> _received = Channel.CreateUnbounded<XmlElement>();
    private Task _reader = Task.CompletedTask;
    private CancellationTokenSource _readerCts = new();

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>True once the other side ended the stream or the connection.</summary>
    public bool Ended { get; private set; }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return new RawPeer(socket);
    }

    /// <summary>Sends a jabber:server stream header and returns the peer's header (with its id) and features.</summary>
    public async Task<(XmlElement Header, XmlElement Features)> OpenAsync(string from, string to)
    {
        await RestartReaderAsync();
        await SendAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' xmlns:stream='http://etherx.jabber.org/streams' from='{from}' to='{to}' version='1.0'>");
        var header = await ExpectAsync(e => e.Name == "stream");
        var features = await ExpectAsync(e => e.Name == "features" || (e.Name == "error" && e.Namespace == "http://etherx.jabber.org/streams"));
        return (header, features);
    }

    /// <summary>STARTTLS, presenting <paramref name="certificate"/> when given, then a new stream.</summary>
    public async Task<(XmlElement Header, XmlElement Features)> StartTlsAsync(string from, string to, X509Certificate2? certificate = null)
    {
        await SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await ExpectAsync(e => e.Name == "proceed");
        await StopReaderAsync();
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = to,
            ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null),
        });
        _stream = ssl;
        return await OpenAsync(from, to);
    }

    public async Task SendAsync(string xml)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        await _stream.FlushAsync();
    }

    public async Task<XmlElement> ExpectAsync(Func<XmlElement, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            while (true)
            {
                var element = await _received.Reader.ReadAsync(cts.Token);
                if (match(element))
                {
                    return element;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no matching element arrived");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the stream ended before a matching element arrived");
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

    private async Task RestartReaderAsync()
    {
        await StopReaderAsync();
        _received = Channel.CreateUnbounded<XmlElement>();
        _readerCts = new CancellationTokenSource();
        _reader = ReadAsync(_stream, _received.Writer, _readerCts.Token);
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
        var parser = new XmppStreamParser(new XmlLimits());
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
                    else
                    {
                        sink.TryWrite(ev.Element!);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (ended || result.IsCompleted)
                {
                    Ended = true;
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
            Ended = true;
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
