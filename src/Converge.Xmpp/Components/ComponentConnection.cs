using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Converge.Core.Addressing;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Components;

/// <summary>
/// One external component's stream (XEP-0114, <c>jabber:component:accept</c>): the stream header names
/// the component's domain, the handshake proves its secret, then stanzas flow both ways. The door
/// vouches for 'from': a stanza whose 'from' is not in the component's own domain is refused with
/// <c>not-allowed</c> back down the stream and goes nowhere. Stanzas for the component wait in a
/// bounded queue; a component that does not read makes further stanzas bounce, never the server grow.
/// </summary>
internal sealed partial class ComponentConnection
{
    /// <summary>From accept to a proven secret; a connection that idles before is closed.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private const int MaxQueued = 10_000;

    private readonly NetworkStream _network;
    private readonly StreamTransport _transport;
    private readonly XmppStreamParser _parser;
    private readonly EndPoint? _remote;
    private readonly IReadOnlyDictionary<string, ComponentRoute> _routes;
    private readonly StanzaRouter _router;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<XmlElement> _outbound = Channel.CreateBounded<XmlElement>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ComponentConnection(Socket socket, IReadOnlyDictionary<string, ComponentRoute> routes, StanzaRouter router, XmlLimits limits, ILogger logger)
    {
        _remote = socket.RemoteEndPoint;
        _network = new NetworkStream(socket, ownsSocket: true);
        _transport = StreamTransport.Plain(_network);
        _parser = new XmppStreamParser(limits);
        _routes = routes;
        _router = router;
        _logger = logger;
    }

    /// <summary>Queues a stanza for the component; false when its queue is full (the router then bounces it).</summary>
    public bool Enqueue(XmlElement stanza) => _outbound.Writer.TryWrite(stanza);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ComponentRoute? route = null;
        var attached = false;
        var headerSent = false;
        StreamError? error = null;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(HandshakeTimeout);
                try
                {
                    var open = await ReadAsync(handshake.Token).ConfigureAwait(false);
                    if (open is not { Kind: XmppStreamEventKind.StreamOpen, Element: { } header })
                    {
                        return;
                    }

                    var to = header.GetAttribute("to");
                    var known = to is not null && _routes.TryGetValue(to.ToLowerInvariant(), out route);
                    await WriteHeaderAsync(known ? route!.Domain : null, id, cancellationToken).ConfigureAwait(false);
                    headerSent = true;
                    if (_parser.ContentNamespace != ComponentNamespaces.Accept)
                    {
                        throw new StreamError("invalid-namespace", "Component streams are in jabber:component:accept.");
                    }

                    if (!known)
                    {
                        throw new StreamError("host-unknown", "No component is configured for that domain.");
                    }

                    var answer = await ReadAsync(handshake.Token).ConfigureAwait(false);
                    if (answer is not { Kind: XmppStreamEventKind.Element, Element: { Name: "handshake", Namespace: ComponentNamespaces.Accept } proof }
                        || !ComponentHandshake.Matches(id, route!.Settings.Secret, proof.Text))
                    {
                        LogHandshakeRefused(_logger, route!.Domain, _remote);
                        throw new StreamError("not-authorized", "The handshake does not prove the component's secret.");
                    }
                }
                catch (OperationCanceledException) when (handshake.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new StreamError("connection-timeout", "No handshake in time.");
                }
            }

            if (!route!.TryAttach(this))
            {
                throw new StreamError("conflict", "Another connection serves this component.");
            }

            attached = true;
            await SendAsync(new XmlElement("handshake", ComponentNamespaces.Accept), cancellationToken).ConfigureAwait(false);
            LogConnected(_logger, route.Domain, _remote);
            var writes = WriteLoopAsync(cancellationToken);
            try
            {
                await ReadLoopAsync(route, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _outbound.Writer.TryComplete();
                await writes.ConfigureAwait(false);
            }
        }
        catch (StreamError e)
        {
            error = e;
        }
        catch (XmlStreamException e)
        {
            error = new StreamError(e.Condition, e.Message);
        }
        catch (OperationCanceledException)
        {
            error = new StreamError("system-shutdown", "The server is stopping.");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The component went away mid-write or mid-read; nothing to tell it.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            if (attached)
            {
                route!.Detach(this);
                LogDisconnected(_logger, route.Domain, error?.Condition ?? "closed");
            }

            await CloseAsync(error, headerSent, id).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(ComponentRoute route, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (next is not { Kind: XmppStreamEventKind.Element, Element: { } element })
            {
                return;
            }

            if (element.Namespace != ComponentNamespaces.Accept || !Stanza.TryGetKind(element, out var kind))
            {
                throw new StreamError("unsupported-stanza-type", $"<{element.Name}/> is not a stanza of a component stream.");
            }

            var stanza = element.CloneAs(Namespaces.Client);
            if (!Jid.TryParse(stanza.GetAttribute("from"), out var from) || from.Domain != route.Domain)
            {
                // The door vouches for 'from' (XEP-0114 §3): a component speaks only for its own domain.
                LogSpoofRefused(_logger, route.Domain, stanza.GetAttribute("from") ?? "(none)");
                Refuse(stanza, "not-allowed", $"A component may only send from its own domain {route.Domain}.");
                continue;
            }

            if (!Jid.TryParse(stanza.GetAttribute("to"), out var to))
            {
                Refuse(stanza, "jid-malformed", "A component's stanza needs a valid 'to'.");
                continue;
            }

            await _router.RouteAsync(new RoutedStanza(new Stanza(stanza, kind, from, to), StanzaOrigin.Component), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Answers the component itself, never the address it wrote in 'from'; errors are not answered (RFC 6120 §8.3.1).</summary>
    private void Refuse(XmlElement stanza, string condition, string text)
    {
        if (stanza.GetAttribute("type") != "error")
        {
            Enqueue(StanzaError.ReplyTo(stanza, condition, text));
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _outbound.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (reader.TryRead(out var element))
                {
                    XmlWriter.Write(_transport.Output, element.Namespace == Namespaces.Client ? element.CloneAs(ComponentNamespaces.Accept) : element, ComponentNamespaces.Accept);
                }

                await _transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private ValueTask<XmppStreamEvent?> ReadAsync(CancellationToken cancellationToken) =>
        StreamEventReader.ReadAsync(_transport.Input, _parser, cancellationToken);

    private ValueTask WriteHeaderAsync(string? from, string id, CancellationToken cancellationToken) =>
        _writeLock.WriteAndFlushAsync(
            _transport.Output,
            (from, id),
            static (output, h) => XmlWriter.WriteStreamHeader(output, h.from, null, h.id, ComponentNamespaces.Accept, null, []),
            cancellationToken);

    private ValueTask SendAsync(XmlElement element, CancellationToken cancellationToken) =>
        _writeLock.WriteAndFlushAsync(_transport.Output, element, static (output, e) => XmlWriter.Write(output, e, ComponentNamespaces.Accept), cancellationToken);

    private async Task CloseAsync(StreamError? error, bool headerSent, string id)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (!headerSent)
            {
                await WriteHeaderAsync(null, id, timeout.Token).ConfigureAwait(false);
            }

            if (error is not null)
            {
                XmlWriter.Write(_transport.Output, error.ToElement(), ComponentNamespaces.Accept);
            }

            XmlWriter.WriteStreamClose(_transport.Output);
            await _transport.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            await _network.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4610, Level = LogLevel.Information, Message = "Component {Domain} connected from {Remote}")]
    private static partial void LogConnected(ILogger logger, string domain, EndPoint? remote);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Warning, Message = "Component handshake for {Domain} from {Remote} refused: wrong secret")]
    private static partial void LogHandshakeRefused(ILogger logger, string domain, EndPoint? remote);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Warning, Message = "Component {Domain} sent a stanza from {From}, outside its domain; refused")]
    private static partial void LogSpoofRefused(ILogger logger, string domain, string from);

    [LoggerMessage(EventId = 4613, Level = LogLevel.Information, Message = "Component {Domain} disconnected ({Reason})")]
    private static partial void LogDisconnected(ILogger logger, string domain, string reason);
}
