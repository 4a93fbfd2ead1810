using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using Converge.Core.Addressing;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Client;

/// <summary>
/// One client connection (RFC 6120): stream negotiation - STARTTLS, SASL, resource binding - and
/// then the bound session's read loop, which hands each stanza, in order, to the router.
/// Reads happen only here; writes go straight to the pipe during negotiation and through the
/// session's queue once bound.
/// </summary>
internal sealed partial class ClientConnection
{
    private static readonly SslApplicationProtocol XmppClientAlpn = new("xmpp-client");
    private const int MaxSaslAttempts = 5;

    private readonly ServerContext _server;
    private readonly Stream? _socketStream;
    private readonly bool _directTls;
    private readonly IPAddress? _remoteAddress;
    private readonly ILogger _log;
    private readonly XmppStreamParser _parser;
    private readonly CancellationTokenSource _cts;
    private IClientTransport? _transport;
    private string _streamId = "";
    private bool _headerSent;
    private ClientStreamState _state = ClientStreamState.AwaitingHeader;
    private bool _secure;
    private ChannelBinding? _binding;
    private ISaslServer? _sasl;
    private int _saslFailures;
    private Jid? _user;
    private ClientSession? _session;
    private Transport.AddressConnectionLimit.Lease? _unauthenticated;

    public ClientConnection(ServerContext server, Stream socketStream, EndPoint? remote, bool directTls, CancellationToken serverToken)
    {
        _server = server;
        _socketStream = socketStream;
        _directTls = directTls;
        _remoteAddress = (remote as IPEndPoint)?.Address;
        _log = server.Logger;
        _parser = new XmppStreamParser(server.Options.Xml);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    /// <summary>
    /// A connection over a transport that is already framed (a WebSocket, RFC 7395). Such a transport
    /// has no STARTTLS: it is <paramref name="confidential"/> when TLS protects it (wss://, or a trusted
    /// TLS-terminating proxy, or loopback); otherwise authentication on it is refused.
    /// </summary>
    public ClientConnection(ServerContext server, IClientTransport transport, IPAddress? remote, bool confidential, CancellationToken serverToken)
    {
        _server = server;
        _transport = transport;
        _secure = confidential;
        _remoteAddress = remote;
        _log = server.Logger;
        _parser = new XmppStreamParser(server.Options.Xml);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    private enum Next
    {
        Continue,
        UpgradeTls,
        Close,
    }

    public async Task RunAsync()
    {
        var token = _cts.Token;
        _cts.CancelAfter(_server.Options.Client.NegotiationTimeout);
        StreamError? error = null;
        var lost = false;
        _unauthenticated = _server.UnauthenticatedClients.TryAcquire(_remoteAddress);
        if (_unauthenticated is null)
        {
            await RefuseAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            if (_transport is not null)
            {
                // Framed by its transport already (WebSocket); confidentiality was decided by the caller.
            }
            else if (_directTls)
            {
                _transport = await StreamTransport.ServerTlsAsync(_socketStream!, _server.Options.Certificate, [XmppClientAlpn], token).ConfigureAwait(false);
                OnSecured();
            }
            else
            {
                _transport = StreamTransport.Plain(_socketStream!);
            }

            lost = !await ReadLoopAsync(token).ConfigureAwait(false);
        }
        catch (XmlStreamException e)
        {
            error = new StreamError(e.Condition, e.Message);
        }
        catch (StreamError e)
        {
            error = e;
        }
        catch (OperationCanceledException) when (_session is null && !_server.ShutdownToken.IsCancellationRequested)
        {
            error = new StreamError("connection-timeout", "Stream negotiation took too long.");
        }
        catch (OperationCanceledException) when (_server.ShutdownToken.IsCancellationRequested)
        {
            error = new StreamError("system-shutdown");
        }
        catch (OperationCanceledException)
        {
            // Either the server closed the session (its writer has already said why), another
            // connection resumed it, or the connection died under the writer or went silent:
            // only the last counts as lost (and may be resumed).
            lost = _session is { IsClosed: false };
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            LogConnectionLost(_log, _remoteAddress, e.Message);
            lost = true;
        }

        if (error is not null)
        {
            LogStreamError(_log, _session?.FullJid.ToString() ?? _remoteAddress?.ToString() ?? "?", error.Condition, error.Text ?? "");
        }

        await EndAsync(error, lost).ConfigureAwait(false);
    }

    /// <returns>true when the client closed the stream, false when the TCP connection just ended.</returns>
    private async Task<bool> ReadLoopAsync(CancellationToken token)
    {
        while (true)
        {
            var input = _transport!.Input;
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var next = Next.Continue;
            try
            {
                _session?.MarkReceived();
                while (next == Next.Continue && _parser.TryRead(ref buffer, out var ev))
                {
                    next = await HandleAsync(ev, token).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (next == Next.Close)
            {
                return true;
            }

            if (next == Next.UpgradeTls)
            {
                if (!buffer.IsEmpty)
                {
                    throw new StreamError("policy-violation", "Nothing may follow <starttls/> before the TLS handshake.");
                }

                _transport = await ((StreamTransport)_transport).UpgradeAsync(_server.Options.Certificate, token).ConfigureAwait(false);
                OnSecured();
                RestartStream();
                continue;
            }

            if (result.IsCompleted)
            {
                return false; // the peer closed the TCP connection without closing the stream
            }
        }
    }

    private void OnSecured()
    {
        _secure = true;
        _binding = _server.ChannelBinding;
    }


    private async ValueTask SendNowAsync(XmlElement element, CancellationToken token)
    {
        _transport!.Framing.WriteElement(_transport.Output, element);
        await _transport.Output.FlushAsync(token).ConfigureAwait(false);
    }

    private async Task EndAsync(StreamError? error, bool lost)
    {
        var session = _session;
        var writer = session is not null && session.IsCarriedBy(this) ? session.Writer : null;
        try
        {
            if (session is not null && session.IsCarriedBy(this))
            {
                if (lost && error is null && session.StreamManagement?.ResumptionId is not null && !session.IsClosed
                    && !_server.ShutdownToken.IsCancellationRequested && session.TryDetach(this))
                {
                    // XEP-0198: keep the session (and everything owed to it) for the client to resume.
                    Cancel(_cts);
                    await session.Writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    LogDetached(_log, session.FullJid.ToString());
                }
                else
                {
                    await _server.EndSessionAsync(session, error).ConfigureAwait(false);
                }
            }
            else if (session is null && _transport is not null)
            {
                await WriteFinalAsync(error).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing more can be said to this peer.
        }
        finally
        {
            // The session's writer may still be flushing to this transport (ending the session waits
            // for it only two seconds): stop it before the pipes it writes to are completed under it.
            if (writer is { IsCompleted: false })
            {
                Cancel(_cts);
                await writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_transport is not null)
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
            else if (_socketStream is not null)
            {
                await _socketStream.DisposeAsync().ConfigureAwait(false);
            }

            _unauthenticated?.Dispose();
            _cts.Dispose();
        }
    }

    /// <summary>
    /// This address already has its share of connections still negotiating: say so (on the STARTTLS
    /// port, where that costs nothing) and close, before any TLS handshake or parser work is spent on it.
    /// </summary>
    private async Task RefuseAsync()
    {
        LogTooManyUnauthenticated(_log, _remoteAddress, _server.UnauthenticatedClients.MaxPerAddress);
        try
        {
            if (!_directTls && _socketStream is not null)
            {
                _transport = StreamTransport.Plain(_socketStream);
                await WriteFinalAsync(new StreamError("policy-violation", "Too many connections from your address are still negotiating.")).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone already.
        }
        finally
        {
            if (_transport is not null)
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
            else if (_socketStream is not null)
            {
                await _socketStream.DisposeAsync().ConfigureAwait(false);
            }

            _cts.Dispose();
        }
    }

    private async Task WriteFinalAsync(StreamError? error)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var output = _transport!.Output;
        var framing = _transport.Framing;
        if (!_headerSent)
        {
            framing.WriteHeader(output, _server.Domain, null, _streamId.Length > 0 ? _streamId : "0", "en");
        }

        if (error is not null)
        {
            framing.WriteElement(output, error.ToElement());
        }

        framing.WriteClose(output);
        await output.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{Jid} authenticated with {Mechanism} from {Address}")]
    private static partial void LogAuthenticated(ILogger logger, string jid, string mechanism, IPAddress? address);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Authentication of {User} from {Address} failed: {Condition}")]
    private static partial void LogAuthFailed(ILogger logger, string user, IPAddress? address, string condition);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Session {Jid} bound from {Address}")]
    private static partial void LogBound(ILogger logger, string jid, IPAddress? address);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Session {Jid} lost its connection; kept for resumption")]
    private static partial void LogDetached(ILogger logger, string jid);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Session {Jid} resumed; resending {Count} unacknowledged stanzas")]
    private static partial void LogResumed(ILogger logger, string jid, int count);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Stream with {Peer} closed with stream error {Condition}: {Text}")]
    private static partial void LogStreamError(ILogger logger, string peer, string condition, string text);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Client connection from {Address} refused: already {Max} connections from there not authenticated")]
    private static partial void LogTooManyUnauthenticated(ILogger logger, IPAddress? address, int max);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Authentication of {User} from {Address} refused unevaluated: too many failed attempts")]
    private static partial void LogAuthRefused(ILogger logger, string user, IPAddress? address);

    [LoggerMessage(EventId = 405, Level = LogLevel.Debug, Message = "Connection from {Address} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, IPAddress? address, string reason);
}
