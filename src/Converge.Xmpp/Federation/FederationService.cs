using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The interconnection's transport: server-to-server links (RFC 6120) in both directions. As the
/// router's remote route it queues each stanza for another domain, in order, on the one outbound
/// link to that domain; its listener accepts peers' links and hands their stanzas to the router.
/// Which domains may be linked at all is <see cref="IFederationPolicy"/>'s to say.
/// </summary>
internal sealed class FederationService : IRemoteRoute, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Local, string Peer), OutboundLink> _outbound = new();
    private readonly ConcurrentDictionary<InboundLink, byte> _inbound = new();
    private readonly ConcurrentDictionary<string, PeerCounters> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PeerReplyTracker> _replies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _served;
    private TcpAcceptor? _acceptor;
    private Task _acceptLoop = Task.CompletedTask;
    private readonly AddressConnectionLimit _strangersPerAddress;
    private int _strangers;

    public FederationService(ServerContext server, FederationOptions options, IFederationPolicy policy)
    {
        Server = server;
        Options = options;
        Policy = new BlocklistedLinkPolicy(server.DomainBlocks, policy);
        Logger = server.Logger;
        Keys = new DialbackKeys(options.DialbackSecret);
        Resolver = new PeerAddressResolver(policy, options.DnsResolver());
        Connector = new PeerConnector(this);
        Verifier = new DialbackVerifier(this);
        _strangersPerAddress = new AddressConnectionLimit(options.MaxUnauthenticatedPerAddress);
        _served = new HashSet<string>(options.HostedDomains.Select(d => d.ToLowerInvariant()), StringComparer.Ordinal) { server.Domain };
        server.DomainBlocks.Changed += OnBlocklistChanged;
    }

    /// <summary>A domain just put on the server-wide blocklist loses its links at once.</summary>
    private void OnBlocklistChanged() => _ = ApplyPolicyAsync();

    public ServerContext Server { get; }

    public FederationOptions Options { get; }

    public IFederationPolicy Policy { get; }

    public ILogger Logger { get; }

    public DialbackKeys Keys { get; }

    public PeerAddressResolver Resolver { get; }

    public PeerConnector Connector { get; }

    public DialbackVerifier Verifier { get; }

    /// <summary>The listener's bound endpoint (port 0 in the options becomes a real port); null without a listener.</summary>
    public IPEndPoint? Endpoint => _acceptor?.Endpoint;

    /// <summary>Binds the listener now (a taken port fails start-up) and starts accepting peers.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Options.Endpoint is { } endpoint)
        {
            var acceptor = new TcpAcceptor(endpoint, "servers (s2s)", Logger);
            try
            {
                acceptor.Bind();
            }
            catch
            {
                acceptor.Dispose();
                throw;
            }

            _acceptor = acceptor;
            _acceptLoop = acceptor.RunAsync(AcceptAsync, _shutdown.Token);
        }

        return Task.CompletedTask;
    }

    public bool ServesDomain(string domain) => _served.Contains(domain);

    /// <summary>
    /// Queues a stanza for its peer domain. False (the router bounces it) when the policy allows no
    /// link with that domain; a full queue bounces the stanza here with resource-constraint. What
    /// must not cross is dropped here and counted (true: nobody is owed an error): a sender outside
    /// our domains (transit), and an error or IQ result that answers no request from the peer.
    /// </summary>
    public async ValueTask<bool> SendAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var peer = stanza.To!.Domain;
        if (_shutdown.IsCancellationRequested || ServesDomain(peer) || !Policy.MayLink(peer))
        {
            return false;
        }

        if (!MayCross(stanza, peer))
        {
            return true;
        }

        FederationLog.StanzaQueued(Logger, stanza.Element.Name, stanza.Type, stanza.From?.ToString(), stanza.To.ToString());
        var local = stanza.From!.Domain;
        var wire = stanza.Element.CloneAs(Namespaces.Server);
        while (true)
        {
            var link = LinkFor(local, peer);
            switch (link.TryEnqueue(stanza, wire))
            {
                case EnqueueResult.Queued:
                    return true;
                case EnqueueResult.Full:
                    link.Counters.StanzaBounced();
                    await Server.Router.BounceAsync(stanza, "resource-constraint", $"Too many stanzas are waiting for {peer}.", cancellationToken).ConfigureAwait(false);
                    return true;
                default:
                    // That link has just ended (and left the table): the next turn makes a new one.
                    Forget(link);
                    if (_shutdown.IsCancellationRequested)
                    {
                        return false;
                    }

                    break;
            }
        }
    }

    /// <summary>The last check at our door out, after the router's: only our own users and services speak, and only replies answer.</summary>
    private bool MayCross(Stanza stanza, string peer)
    {
        if (stanza.From is not { } from || !ServesDomain(from.Domain))
        {
            // The router never hands us such a stanza; if it ever does, we do not carry a third party's traffic.
            CountersFor(peer).ForeignSenderDropped();
            FederationLog.ForeignSenderDropped(Logger, stanza.Element.Name, stanza.Type, stanza.From?.ToString() ?? "(no sender)", stanza.To!.ToString());
            return false;
        }

        var replies = RepliesFor(peer);
        if (!PeerReplyTracker.IsReply(stanza))
        {
            replies.RequestSent(stanza);
            return true;
        }

        if (replies.AnswersReceived(stanza))
        {
            return true;
        }

        CountersFor(peer).UnsolicitedReplyOut();
        FederationLog.UnsolicitedReplyOut(Logger, stanza.Element.Name, stanza.Type, stanza.Id, from.ToString(), stanza.To!.ToString(), peer);
        return false;
    }

    /// <summary>Removes a link that has ended from the table, unless another has already taken its place.</summary>
    public void Forget(OutboundLink link) =>
        _outbound.TryRemove(new KeyValuePair<(string, string), OutboundLink>((link.LocalDomain, link.Domain), link));

    private OutboundLink LinkFor(string local, string peer)
    {
        if (_outbound.TryGetValue((local, peer), out var link))
        {
            return link;
        }

        lock (_gate)
        {
            // Created under the lock: a link starts its pump at once, so a losing duplicate would leak one.
            if (!_outbound.TryGetValue((local, peer), out link))
            {
                link = new OutboundLink(this, local, peer, CountersFor(peer));
                _outbound[(local, peer)] = link;
            }

            return link;
        }
    }

    /// <summary>The counters of a domain the policy allows (created on first use; strangers never get any, so they cannot grow the table).</summary>
    public PeerCounters CountersFor(string domain) => _counters.GetOrAdd(domain, _ => new PeerCounters());

    /// <summary>The requests in flight with a domain the policy allows, both ways (created on first use, like the counters).</summary>
    public PeerReplyTracker RepliesFor(string domain) =>
        _replies.TryGetValue(domain, out var tracker) ? tracker
            : _replies.GetOrAdd(domain, _ => new PeerReplyTracker(Options.MaxTrackedRequests, Options.ReplyLifetime));

    /// <summary>Every peer domain with its links and totals, for the operator.</summary>
    public IReadOnlyList<FederationPeerStatus> Snapshot()
    {
        var inbound = _inbound.Keys.SelectMany(l => l.Domains).GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. _counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
        {
            var links = _outbound.Where(o => o.Key.Peer == c.Key).Select(o => o.Value).ToList();
            var up = links.FirstOrDefault(l => l.State == OutboundLinkState.Up);
            var state = up is not null ? OutboundLinkState.Up
                : links.Any(l => l.State == OutboundLinkState.Connecting) ? OutboundLinkState.Connecting : OutboundLinkState.Idle;
            return new FederationPeerStatus(c.Key, state, up?.Authentication, inbound.GetValueOrDefault(c.Key), links.Sum(l => l.Queued),
                c.Value.StanzasIn, c.Value.StanzasOut, c.Value.Bounced, c.Value.LinksRefused, c.Value.LastActivity,
                c.Value.ForeignSendersDropped, c.Value.UnsolicitedRepliesIn, c.Value.UnsolicitedRepliesOut);
        })];
    }

    /// <summary>
    /// Ends every link with a domain the policy no longer allows (after the agreements were
    /// reloaded): inbound links with &lt;policy-violation/&gt;, outbound ones bouncing what waits.
    /// Links with a peer that now must prove itself with a certificate and did not end too: the
    /// next stanza for it makes a new outbound link under the new rule, and it must come in anew.
    /// </summary>
    public async Task ApplyPolicyAsync()
    {
        var closing = new List<Task>();
        foreach (var (key, link) in _outbound)
        {
            if (!Policy.MayLink(key.Peer))
            {
                Forget(link);
                closing.Add(link.CloseAsync(null, PeerLinkException.NotFound));
            }
            else if (link.State == OutboundLinkState.Up && !link.PeerProven && Policy.RequireCertificate(key.Peer))
            {
                Forget(link);
                closing.Add(link.CloseAsync(null, PeerLinkException.Timeout));
            }
        }

        foreach (var link in _inbound.Keys)
        {
            var revoked = link.Domains.FirstOrDefault(d => !Policy.MayLink(d));
            if (revoked is not null)
            {
                link.Stop(new StreamError("policy-violation", $"The interconnection agreement with {revoked} has ended."), "agreement ended");
            }
            else if (link.DomainsByDialback.FirstOrDefault(Policy.RequireCertificate) is { } unproven)
            {
                link.Stop(
                    new StreamError("not-authorized", $"The interconnection agreement with {unproven} now requires it to authenticate with a trusted certificate (SASL EXTERNAL)."),
                    "certificate now required");
            }
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    /// <summary>Inbound links open now that have not authenticated a domain.</summary>
    public int UnauthenticatedInbound => Volatile.Read(ref _strangers);

    private async Task AcceptAsync(Socket socket)
    {
        var lease = _strangersPerAddress.TryAcquire((socket.RemoteEndPoint as IPEndPoint)?.Address);
        if (lease is null)
        {
            FederationLog.InboundRefused(Logger, socket.RemoteEndPoint, "too many unauthenticated connections from this address");
            socket.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _strangers) > Options.MaxInboundConnections)
        {
            Interlocked.Decrement(ref _strangers);
            lease.Dispose();
            FederationLog.InboundRefused(Logger, socket.RemoteEndPoint, "too many unauthenticated inbound connections");
            socket.Dispose();
            return;
        }

        using var slot = new UnauthenticatedSlot(lease, () => Interlocked.Decrement(ref _strangers));
        var link = new InboundLink(this, new PeerStream(socket, Options.XmlLimits), _shutdown.Token, slot);
        _inbound.TryAdd(link, 0);
        try
        {
            await link.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (ConnectionReset.Is(e, out var reason))
        {
            FederationLog.LinkReset(Logger, reason);
        }
        catch (Exception e)
        {
            // A bug in one link must never take the others down.
            FederationLog.LinkCrashed(Logger, e);
        }
        finally
        {
            _inbound.TryRemove(link, out _);
        }
    }

    /// <summary>Stops listening, closes every link with system-shutdown and bounces what still waits.</summary>
    public async ValueTask DisposeAsync()
    {
        Server.DomainBlocks.Changed -= OnBlocklistChanged;
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        _acceptor?.Dispose();
        var outbound = _outbound.Values.ToList();
        _outbound.Clear();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(outbound.Select(l => l.CloseAsync(new StreamError("system-shutdown"), PeerLinkException.Timeout))).ConfigureAwait(false);
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        var deadline = Environment.TickCount64 + 5000;
        while (!_inbound.IsEmpty && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        _shutdown.Dispose();
    }
}
