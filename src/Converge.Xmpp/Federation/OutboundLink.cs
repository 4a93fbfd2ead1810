using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading.Channels;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The one outbound link to a peer domain (RFC 6120 §10.4.2: reused for every stanza). Stanzas
/// queue in the order the router hands them over; one pump sets the link up when there is
/// something to send, writes bursts with one flush each, closes the link when idle, and sets it
/// up again on demand. A link that cannot be made bounces everything waiting - never a silent drop.
/// </summary>
internal sealed class OutboundLink
{
    /// <summary>Stanzas written before a flush, so a long queue still reaches the peer in steady portions.</summary>
    private const int MaxBurst = 256;

    private readonly FederationService _service;
    private readonly Channel<QueuedStanza> _queue = Channel.CreateUnbounded<QueuedStanza>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    /// <summary>Written to a connection that then failed before the flush was confirmed: sent again first on the next one.</summary>
    private readonly List<QueuedStanza> _retry = [];
    private readonly List<QueuedStanza> _unflushed = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private int _queued;
    private PeerStream? _stream;
    private CancellationTokenSource? _streamEnded;
    private Task _reader = Task.CompletedTask;
    private volatile OutboundLinkState _state;
    private volatile string? _authentication;
    private volatile bool _peerProven;
    private StreamError? _closeError;
    private string _closeCondition = PeerLinkException.NotFound;

    public OutboundLink(FederationService service, string localDomain, string domain, PeerCounters counters)
    {
        _service = service;
        LocalDomain = localDomain;
        Domain = domain;
        Counters = counters;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Our domain this link authenticates as (the originating domain).</summary>
    public string LocalDomain { get; }

    /// <summary>The peer domain (the receiving domain).</summary>
    public string Domain { get; }

    public PeerCounters Counters { get; }

    public OutboundLinkState State => _state;

    /// <summary>"sasl-external" or "dialback" while up.</summary>
    public string? Authentication => _authentication;

    /// <summary>Whether the peer proved its domain with a trusted certificate on the link that is up now.</summary>
    public bool PeerProven => _peerProven;

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues a stanza behind those already waiting.</summary>
    /// <returns>Whether it was queued, the queue is full, or this link is closed for good (a new one must be made).</returns>
    public EnqueueResult TryEnqueue(Stanza original, XmlElement wire)
    {
        if (Interlocked.Increment(ref _queued) > _service.Options.MaxQueuedPerDomain)
        {
            Interlocked.Decrement(ref _queued);
            return EnqueueResult.Full;
        }

        if (!_queue.Writer.TryWrite(new QueuedStanza(original, wire)))
        {
            Interlocked.Decrement(ref _queued);
            return EnqueueResult.Closed;
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Closes the link for good: the stream ends with <paramref name="error"/>, whatever waits is bounced with <paramref name="bounceCondition"/>.</summary>
    public async Task CloseAsync(StreamError? error, string bounceCondition)
    {
        _closeError = error;
        _closeCondition = bounceCondition;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                if (_stream is null)
                {
                    if (_retry.Count == 0 && !await _queue.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        return;
                    }

                    if (!await TryEstablishAsync(token).ConfigureAwait(false))
                    {
                        continue;
                    }
                }

                await SendWhileUpAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (Transport.ConnectionReset.Is(e, out var reason))
        {
            FederationLog.LinkReset(_service.Logger, reason);
        }
        catch (Exception e)
        {
            FederationLog.LinkCrashed(_service.Logger, e);
        }
        finally
        {
            // Nothing more is accepted (a sender then gets a new link), and what waits goes back.
            _queue.Writer.TryComplete();
            _service.Forget(this);
            await EndStreamAsync(_closeError, "closed").ConfigureAwait(false);
            var count = await BounceQueuedAsync(_closeCondition, $"The link to {Domain} was closed.").ConfigureAwait(false);
            if (count > 0)
            {
                FederationLog.OutboundFailed(_service.Logger, Domain, _closeCondition, "link closed", count);
            }
        }
    }

    private async Task<bool> TryEstablishAsync(CancellationToken token)
    {
        _state = OutboundLinkState.Connecting;
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(token);
        setup.CancelAfter(_service.Options.LinkSetupTimeout);
        PeerStream? stream = null;
        try
        {
            (stream, var endpoint) = await _service.Connector.ConnectAsync(Domain, setup.Token).ConfigureAwait(false);
            var (features, id) = await _service.Connector.OpenSecureAsync(stream, LocalDomain, Domain, setup.Token).ConfigureAwait(false);
            var authentication = await AuthenticateAsync(stream, features, id, setup.Token).ConfigureAwait(false);
            _stream = stream;
            _streamEnded = new CancellationTokenSource();
            _reader = ReadUntilEndAsync(stream, _streamEnded);
            _authentication = authentication;
            _state = OutboundLinkState.Up;
            FederationLog.OutboundUp(_service.Logger, Domain, endpoint.ToString(), authentication);
            return true;
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is PeerLinkException or OperationCanceledException or SocketException
            or IOException or AuthenticationException or XmlStreamException or StreamError)
        {
            if (stream is not null)
            {
                await stream.CloseAsync(null, headerSent: true, LocalDomain).ConfigureAwait(false);
            }

            _state = OutboundLinkState.Idle;
            var timedOut = e is OperationCanceledException;
            (string Condition, string? Type, string Text) bounce = e switch
            {
                OperationCanceledException => (PeerLinkException.Timeout, null,
                    $"No link to {Domain} could be set up within {_service.Options.LinkSetupTimeout.TotalSeconds:0} s."),
                PeerLinkException { IsUnproven: true } unproven => (unproven.Condition, unproven.ErrorType,
                    $"The server of {Domain} did not prove its domain with a trusted certificate, which the interconnection agreement requires."),
                PeerLinkException { ErrorType: not null, Condition: PeerLinkException.NotFound } notServed => (notServed.Condition, notServed.ErrorType,
                    $"The server found for {Domain} does not serve it."),
                PeerLinkException { ErrorType: not null } refused => (refused.Condition, refused.ErrorType,
                    $"The server of {Domain} refused the link from {LocalDomain}."),
                _ => (PeerLinkException.NotFound, null, $"The server of {Domain} cannot be reached."),
            };
            var count = await BounceQueuedAsync(bounce.Condition, bounce.Text, bounce.Type).ConfigureAwait(false);
            FederationLog.OutboundFailed(_service.Logger, Domain, bounce.Condition, timedOut ? "timeout" : e.Message, count);
            return false;
        }
    }

    /// <summary>
    /// SASL EXTERNAL or dialback, as <see cref="OutboundNegotiationTable"/> says. Where the agreement
    /// requires the peer to prove itself, a certificate that does not is the end of it: dialback would
    /// prove only us to the peer.
    /// </summary>
    private async Task<string> AuthenticateAsync(PeerStream stream, XmlElement features, string streamId, CancellationToken token)
    {
        var unproven = PeerCertificateTrust.WhyNotTrustedFor(stream.RemoteCertificate, Domain, _service.Options.TrustedCertificates);
        if (unproven is not null && _service.Policy.RequireCertificate(Domain))
        {
            throw PeerLinkException.Unproven($"{Domain} did not prove its domain, which its agreement requires: {unproven}.");
        }

        _peerProven = unproven is null;

        var mechanisms = features.Element("mechanisms", Namespaces.Sasl);
        var offersExternal = mechanisms is not null && mechanisms.Elements("mechanism", Namespaces.Sasl).Any(m => m.Text.Trim() == "EXTERNAL");
        var step = OutboundNegotiationTable.Authentication(offersExternal, _peerProven, hasStreamId: streamId.Length > 0);
        if (step.Next == OutboundLinkStage.AwaitingSaslOutcome)
        {
            var authzid = Convert.ToBase64String(Encoding.UTF8.GetBytes(LocalDomain));
            await stream.SendAsync(new XmlElement("auth", Namespaces.Sasl).SetAttribute("mechanism", "EXTERNAL").AddText(authzid), token).ConfigureAwait(false);
            var answer = await PeerConnector.ReadElementAsync(stream, Domain, token).ConfigureAwait(false);
            if (OutboundNegotiationTable.Answer(step.Next, OutboundNegotiationTable.Classify(answer)).Move == OutboundMove.Advance)
            {
                stream.Restart();
                await _service.Connector.OpenAsync(stream, LocalDomain, Domain, token).ConfigureAwait(false);
                return "sasl-external";
            }

            // Anything but success falls back (the table's FallBackToDialback): the peer does not trust our certificate.
            step = OutboundNegotiationTable.Authentication(offersExternal: false, _peerProven, hasStreamId: streamId.Length > 0);
        }

        if (step.Move == OutboundMove.Fail)
        {
            throw step.ToException(Domain);
        }

        var key = _service.Keys.Generate(Domain, LocalDomain, streamId);
        await stream.SendDialbackAsync("result", LocalDomain, Domain, null, null, key, token).ConfigureAwait(false);
        while (true)
        {
            var answer = await PeerConnector.ReadElementAsync(stream, Domain, token).ConfigureAwait(false);
            var verdict = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingDialbackVerdict, OutboundNegotiationTable.Classify(answer));
            switch (verdict.Move)
            {
                case OutboundMove.Advance:
                    return "dialback";
                case OutboundMove.Wait:
                    continue;
                default:
                    throw verdict.ToException(Domain, answer.Name, answer.GetAttribute("type"));
            }
        }
    }

    /// <summary>Writes what waits, flushing once per burst, until the link goes idle or the connection ends.</summary>
    private async Task SendWhileUpAsync(CancellationToken token)
    {
        var stream = _stream!;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, _streamEnded!.Token);
        try
        {
            while (true)
            {
                if (_retry.Count > 0)
                {
                    _unflushed.AddRange(_retry);
                    _retry.Clear();
                    foreach (var item in _unflushed)
                    {
                        await stream.WriteAsync(item.Wire, linked.Token).ConfigureAwait(false);
                    }
                }

                while (_unflushed.Count < MaxBurst && _queue.Reader.TryRead(out var item))
                {
                    _unflushed.Add(item);
                    await stream.WriteAsync(item.Wire, linked.Token).ConfigureAwait(false);
                }

                if (_unflushed.Count > 0)
                {
                    // A peer that stops reading must not hold the queue forever: past the timeout the
                    // connection counts as lost, and what it did not confirm goes again on a new one.
                    using var flush = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
                    flush.CancelAfter(_service.Options.LinkSetupTimeout);
                    await stream.FlushAsync(flush.Token).ConfigureAwait(false);
                    foreach (var _ in _unflushed)
                    {
                        Counters.StanzaOut();
                        Interlocked.Decrement(ref _queued);
                    }

                    _unflushed.Clear();
                    continue;
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
                idle.CancelAfter(_service.Options.IdleTimeout);
                try
                {
                    if (!await _queue.Reader.WaitToReadAsync(idle.Token).ConfigureAwait(false))
                    {
                        return; // closing: the pump's finally ends the stream
                    }
                }
                catch (OperationCanceledException) when (!linked.IsCancellationRequested)
                {
                    await EndStreamAsync(null, "idle").ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is IOException or SocketException or ObjectDisposedException
            or InvalidOperationException or OperationCanceledException)
        {
            // The connection ended under us. What was written but not confirmed goes again on the next
            // link - once: a stanza the peer drops the link over every time must not loop forever.
            var retry = _unflushed.Where(i => i.LostOnce == 0).Select(i => i with { LostOnce = 1 }).ToList();
            var giveUp = _unflushed.Where(i => i.LostOnce > 0).ToList();
            _retry.AddRange(retry);
            _unflushed.Clear();
            await EndStreamAsync(null, "connection lost").ConfigureAwait(false);
            foreach (var item in giveUp)
            {
                await BounceAsync(item, PeerLinkException.Timeout, $"The link to {Domain} broke twice while this was being sent.").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Watches the authenticated stream for the peer's close or error; nothing else is expected on it.</summary>
    private async Task ReadUntilEndAsync(PeerStream stream, CancellationTokenSource ended)
    {
        try
        {
            while (true)
            {
                var ev = await stream.ReadAsync(_stop.Token).ConfigureAwait(false);
                if (ev is null || ev.Value.Kind == XmppStreamEventKind.StreamClose)
                {
                    return;
                }

                if (ev.Value.Element is { Name: "error", Namespace: Namespaces.Streams } error)
                {
                    FederationLog.OutboundStreamError(_service.Logger, Domain, error.FirstElement()?.Name ?? "?", error.ChildText("text", Namespaces.StreamErrors) ?? "");
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException
            or OperationCanceledException or XmlStreamException)
        {
        }
        finally
        {
            await ended.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task EndStreamAsync(StreamError? error, string reason)
    {
        var stream = _stream;
        _stream = null;
        _authentication = null;
        _state = OutboundLinkState.Idle;
        if (stream is null)
        {
            return;
        }

        await stream.CloseAsync(error, headerSent: true, LocalDomain).ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _streamEnded?.Dispose();
        _streamEnded = null;
        FederationLog.OutboundClosed(_service.Logger, Domain, reason);
    }

    /// <summary>Returns everything waiting to its senders with <paramref name="condition"/> (of <paramref name="type"/>, if not its customary one).</summary>
    private async Task<int> BounceQueuedAsync(string condition, string text, string? type = null)
    {
        var items = new List<QueuedStanza>(_retry);
        _retry.Clear();
        while (_queue.Reader.TryRead(out var item))
        {
            items.Add(item);
        }

        foreach (var item in items)
        {
            await BounceAsync(item, condition, text, type).ConfigureAwait(false);
        }

        return items.Count;
    }

    private async Task BounceAsync(QueuedStanza item, string condition, string text, string? type = null)
    {
        Interlocked.Decrement(ref _queued);
        Counters.StanzaBounced();
        await _service.Server.Router.BounceAsync(item.Original, condition, type ?? StanzaError.TypeOf(condition), text, CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>What became of a stanza handed to <see cref="OutboundLink.TryEnqueue"/>.</summary>
internal enum EnqueueResult
{
    Queued,
    Full,
    Closed,
}
