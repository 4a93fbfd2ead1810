using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A raw XMPP client for one provider of a federation test (any domain, unlike the single-domain
/// TestClient): direct TLS, PLAIN, bind, then every element the server sends, in order.
/// </summary>
internal sealed class PeerTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly string _domain;
    private Channel<XmlElement> _received = Channel.CreateUnbounded<XmlElement>();
    private Task _reader = Task.CompletedTask;
    private CancellationTokenSource _readerCts = new();

    private PeerTestClient(Socket socket, SslStream stream, string domain)
    {
        _socket = socket;
        _stream = stream;
        _domain = domain;
    }

    public string Jid { get; private set; } = "";

    public string Bare => Jid.Split('/')[0];

    public static async Task<PeerTestClient> LoginAsync(IPEndPoint endpoint, string domain, string user, string password, string resource, bool available)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = domain });
        var client = new PeerTestClient(socket, ssl, domain);
        await client.OpenStreamAsync();
        await client.ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
        await client.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        var answer = await client.ExpectAsync(e => e.Name is "success" or "failure");
        if (answer.Name != "success")
        {
            throw new InvalidOperationException("authentication failed: " + answer);
        }

        await client.OpenStreamAsync();
        await client.ExpectAsync(e => e.Name == "features");
        await client.SendAsync($"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>");
        var bound = await client.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == "bind1");
        client.Jid = bound.FirstElement()!.FirstElement()!.Text;
        if (available)
        {
            await client.SendAsync("<presence/>");
            await client.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == client.Jid);
        }

        return client;
    }

    private async Task OpenStreamAsync()
    {
        await _readerCts.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _received = Channel.CreateUnbounded<XmlElement>();
        _readerCts = new CancellationTokenSource();
        _reader = ReadAsync(_received.Writer, _readerCts.Token);
        await SendAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{_domain}' version='1.0'>");
    }

    public async Task SendAsync(string xml)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        await _stream.FlushAsync();
    }

    /// <summary>Skips elements until one matches; fails after a timeout.</summary>
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
    }

    private async Task ReadAsync(ChannelWriter<XmlElement> sink, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        var parser = new XmppStreamParser(new XmlLimits());
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (parser.TryRead(ref buffer, out var ev))
                {
                    if (ev.Kind == XmppStreamEventKind.Element)
                    {
                        sink.TryWrite(ev.Element!);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
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
        await _readerCts.CancelAsync();
        try
        {
            await _reader;
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}
