using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Converge.Core.Addressing;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// One connection a peer opened to us (RFC 6120 receiving server): STARTTLS, then SASL EXTERNAL
/// (XEP-0178) or dialback (XEP-0220) for each domain the peer claims, answers to the peer's own
/// dialback verifications, and then the peer's stanzas, in order, to the router. Every stanza
/// must come from a domain this link authenticated and be addressed to a domain we serve; a peer
/// that breaks that is cut off with the stream error RFC 6120 names for it.
/// </summary>
internal sealed partial class InboundLink
{
    /// <summary>Dialback requests being verified at once on one link (each costs a connection to the authoritative server).</summary>
    private const int MaxPendingVerifications = 8;

    /// <summary>How long a peer has to close its side after we closed an idle stream.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly FederationService _service;
    private readonly PeerStream _stream;
    private readonly CancellationTokenSource _cts;
    private readonly Lock _stopGate = new();
    private readonly ConcurrentDictionary<string, Authenticated> _authenticated = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _verifications = [];
    private readonly long _started = Environment.TickCount64;
    private long _lastReceived = Environment.TickCount64;
    private string _streamId = "";
    private string? _claimedFrom;
    private bool _headerSent;
    private bool _saslDone;
    private int _pendingVerifications;
    private (StreamError? Error, string Reason)? _stop;

    private readonly IDisposable? _unauthenticated;

    public InboundLink(FederationService service, PeerStream stream, CancellationToken shutdown, IDisposable? unauthenticated = null)
    {
        _service = service;
        _stream = stream;
        _unauthenticated = unauthenticated;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    /// <summary>The peer domains this link has authenticated.</summary>
    public ICollection<string> Domains => _authenticated.Keys;

    /// <summary>The peer domains this link has authenticated with dialback, not with a certificate.</summary>
    public IEnumerable<string> DomainsByDialback => _authenticated.Where(a => !a.Value.ByCertificate).Select(a => a.Key);

    public async Task RunAsync()
    {
        var token = _cts.Token;
        var watchdog = WatchAsync(token);
        StreamError? error = null;
        var reason = "closed by the peer";
        try
        {
            if (!await ReadLoopAsync(token).ConfigureAwait(false))
            {
                reason = "connection lost";
            }
        }
        catch (XmlStreamException e)
        {
            error = new StreamError(e.Condition, e.Message);
        }
        catch (StreamError e)
        {
            error = e;
        }
        catch (OperationCanceledException) when (_stop is { } stop)
        {
            (error, reason) = stop;
        }
        catch (OperationCanceledException)
        {
            error = new StreamError("system-shutdown", "The server is stopping.");
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            reason = "connection lost: " + e.Message;
        }
        finally
        {
            await _cts.CancelAsync().ConfigureAwait(false);
        }

        var authenticated = Domains.FirstOrDefault();
        var peer = authenticated ?? _claimedFrom ?? "?";
        if (error is not null)
        {
            FederationLog.InboundStreamError(_service.Logger, _stream.RemoteEndPoint, peer, error.Condition, error.Text ?? "");
            if (authenticated is not null && error.Condition != "system-shutdown")
            {
                // Only against a domain the link proved: anyone can claim one, and must not spoil its record.
                _authenticated[authenticated].Counters.LinkRefused();
            }
        }
        else
        {
            FederationLog.InboundEnded(_service.Logger, _stream.RemoteEndPoint, peer, reason);
        }

        await _stream.CloseAsync(error, _headerSent, _service.Server.Domain).ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        await Task.WhenAll(_verifications).ConfigureAwait(false); // cancelled with the link; they end at once
        _cts.Dispose();
    }

    /// <summary>Ends the link from outside the read loop (verification outcome, timeout, revoked agreement).</summary>
    public void Stop(StreamError? error, string reason)
    {
        lock (_stopGate)
        {
            _stop ??= (error, reason);
        }

        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <returns>true when the peer closed the stream, false when the TCP connection just ended.</returns>
    private async Task<bool> ReadLoopAsync(CancellationToken token)
    {
        while (true)
        {
            var ev = await _stream.ReadAsync(token).ConfigureAwait(false);
            if (ev is not { } streamEvent)
            {
                return false;
            }

            Volatile.Write(ref _lastReceived, Environment.TickCount64);
            switch (streamEvent.Kind)
            {
                case XmppStreamEventKind.StreamOpen:
                    await OpenAsync(streamEvent.Element!, token).ConfigureAwait(false);
                    break;
                case XmppStreamEventKind.StreamClose:
                    return true;
                default:
                    if (!await HandleAsync(streamEvent.Element!, token).ConfigureAwait(false))
                    {
                        return true; // the peer gave up on the stream; it closes it next
                    }

                    break;
            }
        }
    }

    private async Task OpenAsync(XmlElement header, CancellationToken token)
    {
        _streamId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var from = header.GetAttribute("from");
        var to = header.GetAttribute("to");
        var claimed = from is not null && Jid.TryParse(from, out var fromJid) && fromJid.IsDomain ? fromJid.Domain : null;
        var served = to is null ? _service.Server.Domain
            : Jid.TryParse(to, out var toJid) && toJid.IsDomain && _service.ServesDomain(toJid.Domain) ? toJid.Domain : null;
        await _stream.WriteHeaderAsync(served ?? _service.Server.Domain, claimed, _streamId, token).ConfigureAwait(false);
        _headerSent = true;

        if (_stream.ContentNamespace != Namespaces.Server)
        {
            throw new StreamError("invalid-namespace", "Server-to-server streams are in jabber:server.");
        }

        if (served is null)
        {
            throw new StreamError("host-unknown", $"This server does not serve {to}.");
        }

        if (from is not null && claimed is null)
        {
            throw new StreamError("invalid-from", "The stream's 'from' is not a domain.");
        }

        if (claimed is not null && !_service.Policy.MayLink(claimed))
        {
            throw new StreamError("not-authorized", $"There is no interconnection agreement with {claimed}.");
        }

        _claimedFrom = claimed; // the latest header counts (a peer may name itself only after TLS)
        var version = header.GetAttribute("version");
        if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            if (_service.Options.RequireTls)
            {
                throw new StreamError("unsupported-version", "XMPP 1.0 streams with TLS only.");
            }

            return; // a pre-1.0 peer goes straight to dialback (RFC 6120 §4.7.5)
        }

        // A peer that must prove itself with a certificate is not offered dialback at all.
        var dialback = claimed is null || !_service.Policy.RequireCertificate(claimed);
        var features = new XmlElement("features", Namespaces.Streams);
        if (!_stream.IsSecure)
        {
            var starttls = features.AddElement("starttls", Namespaces.Tls);
            if (_service.Options.RequireTls)
            {
                starttls.AddElement("required");
            }
            else if (dialback)
            {
                AddDialbackFeature(features);
            }
        }
        else if (!_saslDone)
        {
            if (claimed is not null && PeerCertificateTrust.IsTrustedFor(_stream.RemoteCertificate, claimed, _service.Options.TrustedCertificates))
            {
                features.AddElement("mechanisms", Namespaces.Sasl).AddElement("mechanism").AddText("EXTERNAL");
            }

            if (dialback)
            {
                AddDialbackFeature(features);
            }
        }

        await _stream.SendAsync(features, token).ConfigureAwait(false);
    }

    private static void AddDialbackFeature(XmlElement features) =>
        features.AddElement("dialback", FederationNamespaces.DialbackFeature);

    /// <summary>The state this link is in (<see cref="InboundNegotiationTable.StateOf"/>).</summary>
    private InboundLinkState State => InboundNegotiationTable.StateOf(_headerSent, _stream.IsSecure, !_authenticated.IsEmpty);

    /// <summary>An element after the header: what the negotiation table says for it in this state.</summary>
    /// <returns>false when the peer ended the stream.</returns>
    private async Task<bool> HandleAsync(XmlElement element, CancellationToken token)
    {
        var state = State;
        var kind = InboundNegotiationTable.Classify(element);
        var step = InboundNegotiationTable.Step(state, kind);
        if (step.Action is not InboundAction.RouteStanza)
        {
            FederationLog.InboundStep(_service.Logger, _stream.RemoteEndPoint, state, kind, step.Action);
        }

        switch (step.Action)
        {
            case InboundAction.StartTls:
                await StartTlsAsync(token).ConfigureAwait(false);
                break;
            case InboundAction.Sasl:
                await SaslAsync(element, token).ConfigureAwait(false);
                break;
            case InboundAction.RequestDialback:
                DialbackResult(element);
                break;
            case InboundAction.AnswerVerification:
                await DialbackVerifyAsync(element, token).ConfigureAwait(false);
                break;
            case InboundAction.RouteStanza:
                _ = Stanza.TryGetKind(element, out var stanzaKind);
                await StanzaAsync(element, stanzaKind, token).ConfigureAwait(false);
                break;
            case InboundAction.PeerGaveUp:
                return false;
            default:
                throw step.Refusal(element);
        }

        return true;
    }

    private async Task StartTlsAsync(CancellationToken token)
    {
        if (_stream.IsSecure)
        {
            await _stream.SendAsync(new XmlElement("failure", Namespaces.Tls), token).ConfigureAwait(false);
            throw new StreamError("policy-violation", "TLS is already in place.");
        }

        await _stream.SendAsync(new XmlElement("proceed", Namespaces.Tls), token).ConfigureAwait(false);
        await _stream.StartTlsAsServerAsync(_service.Server.Options.Certificate, token).ConfigureAwait(false);
        _headerSent = false;
    }

    /// <summary>Ends links that take too long to authenticate, and authenticated links the peer leaves idle.</summary>
    private async Task WatchAsync(CancellationToken token)
    {
        var setup = _service.Options.LinkSetupTimeout;
        var idle = _service.Options.IdleTimeout;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(setup.TotalMilliseconds, idle.TotalMilliseconds) / 4, 50, 30_000));
        using var timer = new PeriodicTimer(period);
        long? closedAt = null;
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                if (_authenticated.IsEmpty && now - _started > setup.TotalMilliseconds)
                {
                    Stop(new StreamError("connection-timeout", "Authentication took too long."), "setup timeout");
                }
                else if (closedAt is null && !_authenticated.IsEmpty && now - Volatile.Read(ref _lastReceived) > idle.TotalMilliseconds)
                {
                    // Our side closes first; stanzas the peer sent meanwhile are still read and routed.
                    closedAt = now;
                    await _stream.SendCloseAsync(token).ConfigureAwait(false);
                }
                else if (closedAt is { } closed && now - closed > CloseGrace.TotalMilliseconds)
                {
                    Stop(null, "idle");
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Cancelled with the link, or the connection went while closing: the read loop reports it.
        }
    }

    private sealed record Authenticated(PeerCounters Counters, StanzaRateLimit? RateLimit, PeerReplyTracker Replies, bool ByCertificate);
}
