using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Server;

/// <summary>
/// A deliberately raw XMPP client for tests that need control over every byte: it writes what it
/// is told and exposes every element the server sends, in order, plus the stream's end.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private Stream _stream;
    private Channel<XmlElement> _received = Channel.CreateUnbounded<XmlElement>();
    private Task _reader = Task.CompletedTask;
    private CancellationTokenSource _readerCts = new();
    private string _domain = TestServer.Domain;

    private TestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public string Jid { get; private set; } = "";

    public string Bare => Jid.Split('/')[0];

    /// <summary>Set when the server closed the stream (&lt;/stream:stream&gt; or TCP close).</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestClient> ConnectAsync(IPEndPoint endpoint, bool directTls = false, string to = TestServer.Domain)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        var client = new TestClient(socket) { _domain = to };
        if (directTls)
        {
            await client.HandshakeAsync();
        }

        await client.OpenStreamAsync(to);
        return client;
    }

    public async Task OpenStreamAsync(string? to = null)
    {
        to ??= _domain;
        await StopReaderAsync();
        _received = Channel.CreateUnbounded<XmlElement>();
        _readerCts = new CancellationTokenSource();
        _reader = ReadAsync(_stream, _received.Writer, _readerCts.Token);
        await SendAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{to}' version='1.0'>");
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

    public async Task StartTlsAsync()
    {
        await ExpectAsync(e => e.Name == "features");
        await SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await ExpectAsync(e => e.Name == "proceed");
        await StopReaderAsync();
        await HandshakeAsync();
        await OpenStreamAsync();
    }

    private async Task HandshakeAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _domain });
        _stream = ssl;
    }

    public async Task AuthenticatePlainAsync(string user, string password)
    {
        await ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        var answer = await ExpectAsync(e => e.Name is "success" or "failure");
        if (answer.Name != "success")
        {
            throw new InvalidOperationException("authentication failed: " + answer);
        }

        await StopReaderAsync();
        await OpenStreamAsync();
    }

    public async Task BindAsync(string? resource)
    {
        await ExpectAsync(e => e.Name == "features");
        var res = resource is null ? "" : $"<resource>{resource}</resource>";
        await SendAsync($"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>{res}</bind></iq>");
        var result = await ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == "bind1");
        Jid = result.FirstElement()!.FirstElement()!.Text;
    }

    public async Task SendAsync(string xml)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        await _stream.FlushAsync();
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Skips elements until one matches; fails after a timeout or when the stream ends first.</summary>
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
    }

    /// <summary>Asserts that nothing matching arrives within <paramref name="wait"/>.</summary>
    public async Task ExpectNothingAsync(Func<XmlElement, bool> match, TimeSpan wait)
    {
        try
        {
            var e = await ExpectAsync(match, wait);
            throw new Xunit.Sdk.XunitException("unexpected element: " + e);
        }
        catch (TimeoutException)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    /// <summary>Reads to the end of the stream and returns the stream error condition, if any.</summary>
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
            throw new TimeoutException("the server did not end the stream");
        }

        return condition;
    }

    private async Task ReadAsync(Stream stream, ChannelWriter<XmlElement> sink, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var parser = new XmppStreamParser(new XmlLimits { MaxStanzaBytes = 16 * 1024 * 1024 });
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var ended = false;
                while (parser.TryRead(ref buffer, out var ev))
                {
                    if (ev.Kind == XmppStreamEventKind.Element)
                    {
                        sink.TryWrite(ev.Element!);
                    }
                    else if (ev.Kind == XmppStreamEventKind.StreamClose)
                    {
                        ended = true;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (ended || result.IsCompleted)
                {
                    sink.TryComplete();
                    Closed.TrySetResult();
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
            Closed.TrySetResult();
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Cuts the TCP connection with a reset: the server sees no closing tag and no clean close.</summary>
    public async Task AbortAsync()
    {
        await StopReaderAsync();
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
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
    }
}
