using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Converge.Core.Addressing;
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
internal sealed class InboundLink
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
                case XmppStreamEventKind.Element when streamEvent.Element is { Name: "error", Namespace: Namespaces.Streams }:
                    return true; // the peer gave up on the stream; it closes it next
                default:
                    if (!_headerSent)
                    {
                        throw new StreamError("not-well-formed", "Expected a stream header.");
                    }

                    await HandleAsync(streamEvent.Element!, token).ConfigureAwait(false);
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

    private async Task HandleAsync(XmlElement element, CancellationToken token)
    {
        switch (element.Namespace)
        {
            case Namespaces.Tls when element.Name == "starttls":
                await StartTlsAsync(token).ConfigureAwait(false);
                return;
            case Namespaces.Sasl:
                await SaslAsync(element, token).ConfigureAwait(false);
                return;
            case FederationNamespaces.Dialback when element.Name == "result":
                DialbackResult(element);
                return;
            case FederationNamespaces.Dialback when element.Name == "verify":
                await DialbackVerifyAsync(element, token).ConfigureAwait(false);
                return;
        }

        if (!Stanza.TryGetKind(element, out var kind))
        {
            throw new StreamError("unsupported-stanza-type", $"<{element.Name} xmlns='{element.Namespace}'/> is not something a peer may send here.");
        }

        await StanzaAsync(element, kind, token).ConfigureAwait(false);
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

    /// <summary>SASL EXTERNAL (XEP-0178): the peer's certificate, already checked when offered, proves the domain it names.</summary>
    private async Task SaslAsync(XmlElement element, CancellationToken token)
    {
        if (element.Name != "auth" || _saslDone)
        {
            await SaslFailureAsync(element.Name == "abort" ? "aborted" : "malformed-request", token).ConfigureAwait(false);
            return;
        }

        if (!_stream.IsSecure)
        {
            await SaslFailureAsync("encryption-required", token).ConfigureAwait(false);
            return;
        }

        if (element.GetAttribute("mechanism") != "EXTERNAL")
        {
            await SaslFailureAsync("invalid-mechanism", token).ConfigureAwait(false);
            return;
        }

        string? authzid = null;
        var text = element.Text.Trim();
        if (text.Length > 0 && text != "=")
        {
            try
            {
                authzid = Encoding.UTF8.GetString(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
                await SaslFailureAsync("incorrect-encoding", token).ConfigureAwait(false);
                return;
            }
        }

        var domain = authzid is not null && Jid.TryParse(authzid, out var authzJid) && authzJid.IsDomain ? authzJid.Domain : authzid is null ? _claimedFrom : null;
        if (domain is null || (_claimedFrom is not null && domain != _claimedFrom))
        {
            await SaslFailureAsync("invalid-authzid", token).ConfigureAwait(false);
            return;
        }

        if (!_service.Policy.MayLink(domain) || !PeerCertificateTrust.IsTrustedFor(_stream.RemoteCertificate, domain, _service.Options.TrustedCertificates))
        {
            await SaslFailureAsync("not-authorized", token).ConfigureAwait(false);
            return;
        }

        Authenticate(domain, "sasl-external");
        _saslDone = true;
        await _stream.SendAsync(new XmlElement("success", Namespaces.Sasl), token).ConfigureAwait(false);
        _stream.Restart();
        _headerSent = false;
    }

    private ValueTask SaslFailureAsync(string condition, CancellationToken token)
    {
        var failure = new XmlElement("failure", Namespaces.Sasl);
        failure.AddElement(condition);
        return _stream.SendAsync(failure, token);
    }

    /// <summary>
    /// &lt;db:result/&gt;: the peer asks to be accepted for a domain. The key is checked with the
    /// domain's authoritative server in the background, so the peer's own &lt;db:verify/&gt;
    /// requests (which may be what its authoritative server waits for) keep being answered.
    /// </summary>
    private void DialbackResult(XmlElement element)
    {
        if (_service.Options.RequireTls && !_stream.IsSecure)
        {
            throw new StreamError("policy-violation", "TLS is required before dialback.");
        }

        if (element.GetAttribute("type") is not null)
        {
            return; // a verdict is ours to give on this stream, not the peer's
        }

        var from = element.GetAttribute("from");
        var to = element.GetAttribute("to");
        if (from is null || to is null)
        {
            throw new StreamError("improper-addressing", "<db:result/> needs 'from' and 'to'.");
        }

        if (!Jid.TryParse(to, out var toJid) || !toJid.IsDomain || !_service.ServesDomain(toJid.Domain))
        {
            throw new StreamError("host-unknown", $"This server does not serve {to}.");
        }

        if (!Jid.TryParse(from, out var fromJid) || !fromJid.IsDomain)
        {
            throw new StreamError("invalid-from", "<db:result/> 'from' is not a domain.");
        }

        var domain = fromJid.Domain;
        if (!_service.Policy.MayLink(domain))
        {
            throw new StreamError("not-authorized", $"There is no interconnection agreement with {domain}.");
        }

        if (_service.Policy.RequireCertificate(domain))
        {
            throw new StreamError("not-authorized",
                $"The interconnection agreement with {domain} requires it to authenticate with a trusted certificate (SASL EXTERNAL); dialback is not accepted.");
        }

        if (Interlocked.Increment(ref _pendingVerifications) > MaxPendingVerifications)
        {
            throw new StreamError("policy-violation", "Too many dialback requests at once.");
        }

        _verifications.Add(VerifyAndAnswerAsync(domain, toJid.Domain, _streamId, element.Text.Trim(), _cts.Token));
    }

    private async Task VerifyAndAnswerAsync(string domain, string receiving, string streamId, string key, CancellationToken token)
    {
        try
        {
            var outcome = key.Length == 0
                ? DialbackOutcome.Invalid
                : await _service.Verifier.VerifyAsync(domain, receiving, streamId, key, token).ConfigureAwait(false);
            switch (outcome)
            {
                case DialbackOutcome.Valid:
                    Authenticate(domain, "dialback");
                    await _stream.SendDialbackAsync("result", receiving, domain, null, "valid", null, token).ConfigureAwait(false);
                    break;
                case DialbackOutcome.Invalid:
                    await _stream.SendDialbackAsync("result", receiving, domain, null, "invalid", null, token).ConfigureAwait(false);
                    if (_authenticated.IsEmpty)
                    {
                        Stop(new StreamError("not-authorized", $"Dialback for {domain} failed: its server does not know the key."), "dialback failed");
                    }

                    break;
                default:
                    Stop(new StreamError("remote-connection-failed", $"The authoritative server of {domain} could not be asked."), "dialback unverifiable");
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The link is ending anyway; its read loop reports why.
        }
        finally
        {
            Interlocked.Decrement(ref _pendingVerifications);
        }
    }

    /// <summary>&lt;db:verify/&gt;: a receiving server asks whether we made a key for its stream (XEP-0220 §2.2.2).</summary>
    private async Task DialbackVerifyAsync(XmlElement element, CancellationToken token)
    {
        var from = element.GetAttribute("from");
        var to = element.GetAttribute("to");
        var id = element.GetAttribute("id");
        if (from is null || to is null || id is null || element.GetAttribute("type") is not null)
        {
            throw new StreamError("improper-addressing", "<db:verify/> needs 'from', 'to' and 'id'.");
        }

        var valid = _service.ServesDomain(to) && _service.Keys.Verify(from, to, id, element.Text);
        await _stream.SendDialbackAsync("verify", to, from, id, valid ? "valid" : "invalid", null, token).ConfigureAwait(false);
        FederationLog.DialbackAnswered(_service.Logger, from, valid ? "valid" : "invalid");
    }

    private void Authenticate(string domain, string how)
    {
        var counters = _service.CountersFor(domain);
        var limit = _service.Policy.MaxStanzasPerSecond(domain);
        var authenticated = new Authenticated(counters, limit > 0 ? new StanzaRateLimit(limit) : null, _service.RepliesFor(domain), how == "sasl-external");
        if (_authenticated.TryAdd(domain, authenticated))
        {
            _unauthenticated?.Dispose(); // a proven peer no longer takes a stranger's place
            FederationLog.InboundAuthenticated(_service.Logger, _stream.RemoteEndPoint, domain, how);
        }
    }

    private async Task StanzaAsync(XmlElement element, StanzaKind kind, CancellationToken token)
    {
        if (_authenticated.IsEmpty)
        {
            throw new StreamError("not-authorized", "Stanzas are accepted only after authentication.");
        }

        if (element.Namespace != Namespaces.Server)
        {
            throw new StreamError("invalid-namespace", "Stanzas on a server-to-server stream are in jabber:server.");
        }

        var fromText = element.GetAttribute("from");
        var toText = element.GetAttribute("to");
        if (fromText is null || toText is null)
        {
            throw new StreamError("improper-addressing", "Stanzas between servers carry 'from' and 'to'.");
        }

        if (!Jid.TryParse(fromText, out var from) || !_authenticated.TryGetValue(from.Domain, out var peer))
        {
            throw new StreamError("invalid-from", $"'{fromText}' is not in a domain this link has authenticated.");
        }

        if (peer.RateLimit is { } limit && !limit.TryTake())
        {
            throw new StreamError("policy-violation", "Too many stanzas: the agreement's rate limit is exceeded.");
        }

        var clientForm = element.CloneAs(Namespaces.Client).SetAttribute("from", from.ToString());
        if (!Jid.TryParse(toText, out var to))
        {
            peer.Counters.StanzaIn();
            await _service.Server.Router.BounceAsync(new Stanza(clientForm, kind, from, null), "jid-malformed", "The 'to' address is not a valid JID.", token).ConfigureAwait(false);
            return;
        }

        if (!_service.ServesDomain(to.Domain))
        {
            throw new StreamError("host-unknown", $"This server does not serve {to.Domain}.");
        }

        clientForm.SetAttribute("to", to.ToString());
        var stanza = new Stanza(clientForm, kind, from, to);
        if (!PeerReplyTracker.IsReply(stanza))
        {
            peer.Replies.RequestReceived(stanza);
        }
        else if (!peer.Replies.AnswersSent(stanza))
        {
            // An error or IQ result crosses only as the answer to a request we sent that peer.
            peer.Counters.UnsolicitedReplyIn();
            FederationLog.UnsolicitedReplyIn(_service.Logger, element.Name, stanza.Type, stanza.Id, fromText, toText, from.Domain);
            return;
        }

        peer.Counters.StanzaIn();
        FederationLog.StanzaReceived(_service.Logger, element.Name, element.GetAttribute("type"), fromText, toText);
        try
        {
            await _service.Server.Router.FromPeerAsync(stanza, from.Domain, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault in one handler must not cut the whole interconnection.
            FederationLog.RoutingFailed(_service.Logger, from.Domain, e);
        }
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
