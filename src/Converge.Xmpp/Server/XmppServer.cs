using System.Net.Sockets;
using Converge.Core.Storage;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Server;

/// <summary>The XMPP service: listeners, sessions, the router and its modules.</summary>
public sealed partial class XmppServer : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<TcpAcceptor> _acceptors = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _shutdown = new();
    private Federation.FederationService? _federation;
    private readonly Im.ArchiveRetention? _retention;
    private int _connections;

    public XmppServer(XmppServerOptions options, IStores stores, ILoggerFactory loggerFactory)
    {
        Options = options;
        _context = new ServerContext(options, stores, loggerFactory) { ShutdownToken = _shutdown.Token };
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Converge.Server");
        if (options.ArchiveRetention is { } retention)
        {
            _retention = new Im.ArchiveRetention(stores.Archive, retention, TimeProvider.System, loggerFactory.CreateLogger("Converge.Archive"));
        }
    }

    public XmppServerOptions Options { get; }

    /// <summary>Bound client sessions now.</summary>
    public int SessionCount => _context.Sessions.Count;

    /// <summary>Open client connections now (bound or still negotiating).</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    internal ServerContext Context => _context;

    /// <summary>HTTP File Upload's files (XEP-0363), for the host's PUT and GET endpoints; null when not served.</summary>
    public Upload.UploadArea? Uploads => _context.Uploads;

    /// <summary>The IQ payload events the IQ handlers fire (`converge routes`).</summary>
    public IEnumerable<string> IqEvents() => _context.Iq.EventNames();

    /// <summary>Every routing event and its handlers in the order they run (`converge routes`).</summary>
    public IReadOnlyList<Routing.RouteTableEntry> RoutingTable() =>
        [.. _context.Events.Table().SelectMany(e => e.Hooks.Select(h => new Routing.RouteTableEntry(e.Event, h.Priority, h.Name)))];

    /// <summary>The server-to-server side, once started with a <see cref="XmppServerOptions.ServerEndpoint"/>.</summary>
    internal Federation.FederationService? ServerToServer => _federation;

    /// <summary>The endpoints actually bound (port 0 in the options becomes a real port).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> BoundEndpoints => [.. _acceptors.Select(a => a.Endpoint)];

    /// <summary>Loads the accounts, binds the listeners (throws if a port is taken) and starts accepting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _context.Accounts.LoadAsync(cancellationToken).ConfigureAwait(false);
        _context.Accounts.Removed += OnAccountRemoved;
        _context.Accounts.Revoked += OnAccountRevoked;
        var token = _shutdown.Token;
        await _context.DomainBlocks.ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (_context.GroupChat is { } groupChat)
        {
            groupChat.ShutdownToken = token;
            await groupChat.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Options.ClientEndpoint is { } plain)
        {
            Listen(new TcpAcceptor(plain, "clients (STARTTLS)", _logger), directTls: false, token);
        }

        if (Options.ClientDirectTlsEndpoint is { } tls)
        {
            Listen(new TcpAcceptor(tls, "clients (direct TLS)", _logger), directTls: true, token);
        }

        if (Options.ComponentEndpoint is { } componentEndpoint && _context.ComponentRoutes.Count > 0)
        {
            var acceptor = new TcpAcceptor(componentEndpoint, "components (XEP-0114)", _logger);
            acceptor.Bind();
            _acceptors.Add(acceptor);
            var componentLog = _loggerFactory.CreateLogger("Converge.Components");
            _loops.Add(acceptor.RunAsync(socket => ServeComponentAsync(socket, componentLog, token), token));
        }

        if (Options.ServerEndpoint is { } s2s)
        {
            var defaults = new Federation.FederationOptions();
            _federation = new Federation.FederationService(
                _context,
                new Federation.FederationOptions
                {
                    Endpoint = s2s,
                    RequireTls = Options.FederationRequiresTls,
                    DnsServer = Options.FederationDnsServer,
                    Dns = Options.FederationDns,
                    XmlLimits = Options.Xml,
                    HostedDomains = [.. _context.Services.All.Select(s => s.Domain)],
                    ConnectTimeout = Options.FederationConnectTimeout ?? defaults.ConnectTimeout,
                    LinkSetupTimeout = Options.FederationLinkSetupTimeout ?? defaults.LinkSetupTimeout,
                    IdleTimeout = Options.FederationIdleTimeout ?? defaults.IdleTimeout,
                    MaxQueuedPerDomain = Options.FederationMaxQueuedPerDomain ?? defaults.MaxQueuedPerDomain,
                    MaxInboundConnections = Options.FederationMaxInboundConnections ?? defaults.MaxInboundConnections,
                    MaxUnauthenticatedPerAddress = Options.Server.MaxUnauthenticatedPerAddress,
                    TrustedCertificates = Options.FederationTrustedCertificates,
                    DialbackSecret = Options.FederationDialbackSecret,
                },
                new Federation.AgreementPolicy(_context));
            await _federation.StartAsync(cancellationToken).ConfigureAwait(false);
            _context.RemoteRoute.Links = _federation;
            if (_context.Rtbl.Sources.Count > 0)
            {
                _loops.Add(_context.Rtbl.RunAsync(TimeSpan.FromMinutes(15), token));
            }
        }

        _loops.Add(_context.Accounts.RunPollerAsync(TimeSpan.FromMilliseconds(500), token));
        _loops.Add(_context.DomainBlocks.RunPollerAsync(TimeSpan.FromSeconds(1), token));
        _loops.Add(new SessionSweeper(_context).RunAsync(token));
        _loops.Add(new NativeHeapTrimmer(_context.Logger).RunAsync(token));
        if (_context.Uploads is { } uploads)
        {
            _loops.Add(uploads.RunExpiryAsync(token));
        }

        if (_retention is not null)
        {
            _loops.Add(RunRetentionAsync(_retention, token));
        }

        if (_context.ArchiveQuota is { } quota)
        {
            _loops.Add(quota.RunAsync(Im.ArchiveQuota.DefaultInterval, token));
        }
        LogStarted(_logger, _context.Domain, _context.Accounts.Count);
    }

    private void Listen(TcpAcceptor acceptor, bool directTls, CancellationToken token)
    {
        try
        {
            acceptor.Bind();
        }
        catch
        {
            acceptor.Dispose();
            throw;
        }

        _acceptors.Add(acceptor);
        _loops.Add(acceptor.RunAsync(socket => ServeAsync(socket, directTls, token), token));
    }

    private async Task ServeAsync(Socket socket, bool directTls, CancellationToken token)
    {
        Interlocked.Increment(ref _connections);
        var remote = socket.RemoteEndPoint;
        try
        {
            var connection = new ClientConnection(_context, new NetworkStream(socket, ownsSocket: true), remote, directTls, token);
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (ConnectionReset.Is(e, out var reason))
        {
            // The client reset the connection while the server still wrote to it: one line.
            LogConnectionReset(_logger, remote, reason);
        }
        catch (Exception e)
        {
            // A bug in one connection must never take the server down.
            LogConnectionFailed(_logger, e);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task ServeComponentAsync(Socket socket, ILogger log, CancellationToken token)
    {
        try
        {
            await new Components.ComponentConnection(socket, _context.ComponentRoutes, _context.Router, Options.Xml, log).RunAsync(token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in one connection must never take the server down.
            LogConnectionFailed(_logger, e);
        }
    }

    /// <summary>
    /// Serves one accepted XMPP-over-WebSocket connection (RFC 7395) until it ends: the same client
    /// protocol, limits and routing as a TCP client. <paramref name="confidential"/> says whether the
    /// host found it protected by TLS (wss://, a trusted TLS-terminating proxy, or loopback); on a
    /// connection that is not, authentication is refused with encryption-required.
    /// </summary>
    public async Task ServeWebSocketAsync(System.Net.WebSockets.WebSocket webSocket, System.Net.IPAddress? remote, bool confidential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        Interlocked.Increment(ref _connections);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, cancellationToken);
        try
        {
            var transport = new Transport.WebSockets.WebSocketTransport(webSocket, Options.Xml);
            var connection = new ClientConnection(_context, transport, remote, confidential, linked.Token);
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (ConnectionReset.Is(e, out var reason))
        {
            LogConnectionReset(_logger, remote is null ? null : new System.Net.IPEndPoint(remote, 0), reason);
        }
        catch (Exception e)
        {
            LogConnectionFailed(_logger, e);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private void OnAccountRemoved(Core.Addressing.Jid jid)
    {
        _context.Blocking.Forget(jid);
        foreach (var session in _context.Sessions.SessionsOf(jid))
        {
            _ = _context.EndSessionAsync(session, new StreamError("not-authorized", "The account was removed."));
        }
    }

    private void OnAccountRevoked(Core.Addressing.Jid jid, string reason)
    {
        foreach (var session in _context.Sessions.SessionsOf(jid))
        {
            _ = _context.EndSessionAsync(session, new StreamError("not-authorized", reason));
        }
    }

    /// <summary>Archive.Retention, or null when archived messages are kept for ever.</summary>
    public TimeSpan? ArchiveRetentionPeriod => _retention?.Period;

    /// <summary>The last archive retention pass since start (hourly or an operator's), or null.</summary>
    public Im.ArchiveRetentionRun? LastArchiveRetention => _retention?.Last;

    /// <summary>An archive retention pass now for <paramref name="trigger"/> (who asked); null when Archive.Retention is not set.</summary>
    public async Task<Im.ArchiveRetentionRun?> RunArchiveRetentionAsync(string trigger, CancellationToken cancellationToken) =>
        _retention is null ? null : await _retention.RunAsync(trigger, cancellationToken).ConfigureAwait(false);

    private static async Task RunRetentionAsync(Im.ArchiveRetention retention, CancellationToken token)
    {
        try
        {
            await retention.RunScheduledAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stanzas refused by the agreement with each peer provider since start.</summary>
    public IReadOnlyList<Federation.AgreementRefusalCount> Refusals() => _context.Refusals.Snapshot();

    /// <summary>Messages a peer's users made our SMS gateway take since start (agreements granting Interworking).</summary>
    public long InterworkingTaken(string peerDomain) => _context.InterworkingLimits.Taken(peerDomain);

    /// <summary>The interworking function's entrance (set before <see cref="StartAsync"/>).</summary>
    public ILegacyGatewayAccess Interworking => new LegacyAccess(_context.LegacyRoute, _context.LegacyDoor, _context.Interworked);

    /// <summary>The subscriber with this MSISDN (+E164), from the in-memory account directory.</summary>
    public Core.Accounts.Account? FindSubscriberByNumber(string msisdn) => _context.Accounts.FindByMsisdn(msisdn);

    /// <summary>Whether a client session is bound to this full JID now.</summary>
    public bool IsConnected(Core.Addressing.Jid fullJid) => _context.Sessions.Find(fullJid) is not null;

    /// <summary>A subscriber's account, from the in-memory account directory.</summary>
    public Core.Accounts.Account? FindAccount(Core.Addressing.Jid bareJid) => _context.Accounts.Find(bareJid);

    /// <summary>The agreements in force now.</summary>
    public Core.Federation.AgreementBook Agreements => _context.Agreements;

    /// <summary>Puts new interconnection agreements in force for every stanza from now on (links already open stay).</summary>
    public void UpdateAgreements(Core.Federation.AgreementBook agreements) => _context.Agreements = agreements;

    /// <summary>Puts new interconnection agreements in force at once (configuration reload): links to domains no longer agreed end.</summary>
    public async Task UpdateAgreementsAsync(Core.Federation.AgreementBook agreements)
    {
        _context.Agreements = agreements;
        if (_federation is not null)
        {
            await _federation.ApplyPolicyAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The server-to-server listener's bound endpoint, when federation is on.</summary>
    public System.Net.IPEndPoint? ServerEndpoint => _federation?.Endpoint;

    /// <summary>Each peer domain's links and totals since start.</summary>
    public IReadOnlyList<Federation.PeerLinkReport> PeerLinks() =>
        _federation is null ? [] : [.. _federation.Snapshot().Select(p => new Federation.PeerLinkReport(
            p.Domain, p.Outbound.ToString(), p.OutboundAuthentication, p.InboundLinks, p.Queued, p.StanzasIn, p.StanzasOut, p.Bounced, p.LinksRefused, p.LastActivity,
            p.ForeignSendersDropped, p.UnsolicitedRepliesIn, p.UnsolicitedRepliesOut))];

    /// <summary>Closes every stream with system-shutdown and stops the listeners.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var acceptor in _acceptors)
        {
            acceptor.Dispose();
        }

        // Rooms first (XEP-0045 status 332): occupants here and at peers hear why they leave the room
        // while their streams and the links are still up.
        if (_context.GroupChat is { } groupChat)
        {
            await groupChat.ShutDownAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        // Then the links: what they still queue bounces to senders who are still connected to hear it.
        if (_federation is not null)
        {
            await _federation.DisposeAsync().ConfigureAwait(false);
        }

        // Every session ends properly: contacts see it go, and what it was still owed goes to offline
        // storage so that a restart loses nothing.
        await Task.WhenAll(_context.Sessions.All().ToList().Select(s => _context.EndSessionAsync(s, new StreamError("system-shutdown", "The server is stopping."))))
            .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);

        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shutdown.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _shutdown.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "XMPP service for {Domain} started with {Accounts} accounts")]
    private static partial void LogStarted(ILogger logger, string domain, int accounts);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "A client connection failed unexpectedly")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Client connection from {Remote} ended by the client: {Reason}")]
    private static partial void LogConnectionReset(ILogger logger, System.Net.EndPoint? remote, string reason);
}
