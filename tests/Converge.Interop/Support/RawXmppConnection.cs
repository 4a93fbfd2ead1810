using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Converge.Interop.Support;

/// <summary>
/// A bare TCP connection speaking XMPP by hand, for what no well-behaved library will send.
/// Everything the server sends is accumulated; <see cref="ReadUntilAsync"/> re-parses it as one
/// document (closing the stream element if the server has not) until the wanted element shows up.
/// </summary>
internal sealed partial class RawXmppConnection : IAsyncDisposable
{
    public static readonly XNamespace Streams = "http://etherx.jabber.org/streams";
    public static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public static readonly XNamespace Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _received = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();

    private RawXmppConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>True once the server has closed its side of the TCP connection.</summary>
    public bool ServerClosed { get; private set; }

    /// <summary>Everything received so far, as text.</summary>
    public string Received => _received.ToString();

    public static async Task<RawXmppConnection> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawXmppConnection(client);
    }

    public Task OpenStreamAsync(string domain) => SendAsync(
        $"<?xml version='1.0'?><stream:stream to='{domain}' version='1.0' xml:lang='en' " +
        "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");

    public async Task SendAsync(string xml)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        await _stream.FlushAsync();
    }

    /// <summary>Reads until a child of the server's stream element satisfies <paramref name="wanted"/>.</summary>
    public async Task<XElement> ReadUntilAsync(Func<XElement, bool> wanted, string description)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var found = TryParseStream()?.Elements().FirstOrDefault(wanted);
            if (found is not null)
            {
                return found;
            }

            if (ServerClosed)
            {
                throw new InvalidOperationException($"the server closed the connection before {description}; received:\n{Received}");
            }

            try
            {
                await ReadSomeAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {description} within {ReadTimeout.TotalSeconds:0} s; received:\n{Received}");
            }
        }
    }

    /// <summary>Reads until the server closes the TCP connection; false if it is still open after the timeout.</summary>
    public async Task<bool> WaitForServerCloseAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            while (!ServerClosed)
            {
                await ReadSomeAsync(timeout.Token);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True if the server has sent its closing stream tag.</summary>
    public bool StreamClosedByServer => ClosingTag().IsMatch(Received);

    private async Task ReadSomeAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int read;
        try
        {
            read = await _stream.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException)
        {
            read = 0; // a reset is a close too
        }

        if (read == 0)
        {
            ServerClosed = true;
            return;
        }

        var chars = new char[_utf8.GetCharCount(buffer, 0, read)];
        _utf8.GetChars(buffer, 0, read, chars, 0);
        _received.Append(chars);
    }

    /// <summary>The received stream as a document, or null while the last element is still incomplete.</summary>
    private XElement? TryParseStream()
    {
        var text = Received;
        var header = StreamHeader().Match(text);
        if (!header.Success)
        {
            return null;
        }

        var closing = $"</{header.Groups["qname"].Value}>";
        var document = StreamClosedByServer ? text : text + closing;
        try
        {
            return XDocument.Parse(document).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    [GeneratedRegex(@"<(?<qname>(?:[\w.-]+:)?stream)\b")]
    private static partial Regex StreamHeader();

    [GeneratedRegex(@"</(?:[\w.-]+:)?stream\s*>")]
    private static partial Regex ClosingTag();
}
