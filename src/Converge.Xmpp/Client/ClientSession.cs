using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Converge.Core.Addressing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// A bound client resource. Any thread may queue stanzas to it (lock-free channel); one writer
/// loop serializes them into the connection's pipe and flushes once per burst, so a burst of
/// deliveries costs one system call rather than one per stanza.
/// The session outlives its connection when stream management allows resumption (XEP-0198):
/// the queue and the unacknowledged stanzas wait for the next connection to attach.
/// State other than the queue (presence, priority, interest) is written only by the session's own
/// read loop and read by others as plain volatile snapshots.
/// </summary>
internal sealed class ClientSession
{
    private readonly Channel<OutboundItem> _outbound = Channel.CreateUnbounded<OutboundItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly int _maxQueue;
    private readonly object _inactiveBuffer = new();
    private Dictionary<string, XmlElement>? _bufferedPresence;
    private int _queued;
    private StreamError? _closeError;
    private volatile XmlElement? _presence;
    private volatile bool _inactive;
    private long _lastReceived = Environment.TickCount64;
    private long _lastSent = Environment.TickCount64;
    private int _ended;

    public ClientSession(Jid fullJid, int maxQueue)
    {
        FullJid = fullJid;
        BareJid = fullJid.Bare;
        _maxQueue = maxQueue;
    }

    public Jid FullJid { get; }

    public Jid BareJid { get; }

    /// <summary>The last available presence broadcast by this resource; null while unavailable.</summary>
    public XmlElement? Presence
    {
        get => _presence;
        set => _presence = value;
    }

    public bool IsAvailable => _presence is not null;

    /// <summary>RFC 6121 §4.7.2.3 priority of the last available presence.</summary>
    public int Priority { get; set; }

    /// <summary>The client asked for the roster, so it gets roster pushes (RFC 6121 §2.1.6).</summary>
    public bool InterestedInRoster { get; set; }

    /// <summary>Has requested the block list, so gets block pushes (XEP-0191 §3.2).</summary>
    public bool InterestedInBlockList { get; set; }

    /// <summary>XEP-0280: the client wants copies of its account's conversations from other resources.</summary>
    public bool CarbonsEnabled { get; set; }

    /// <summary>Entities this resource sent directed presence to (RFC 6121 §4.6), told when it goes offline.</summary>
    public HashSet<Jid> DirectedPresence { get; } = [];

    /// <summary>XEP-0198 state, once the client enabled it.</summary>
    public StreamManagement? StreamManagement { get; set; }

    /// <summary>The connection currently carrying this session; null while detached awaiting resumption.</summary>
    public object? Connection { get; private set; }

    /// <summary>The running writer loop of the current connection.</summary>
    public Task Writer { get; set; } = Task.CompletedTask;

    /// <summary>Cancels the current connection (its read and write loops) without ending the session.</summary>
    public CancellationTokenSource? ConnectionCancellation { get; private set; }

    public bool IsClosed => _closeError is not null;

    public long LastReceivedTicks => Volatile.Read(ref _lastReceived);

    public long LastSentTicks => Volatile.Read(ref _lastSent);

    /// <summary>When the idle sweeper pinged this silent client (0: not pinged).</summary>
    public long IdlePingTicks { get; set; }

    /// <summary>Detached (connection lost, resumable) since this tick count; 0 while attached.</summary>
    public long DetachedSinceTicks { get; set; }

    public void MarkReceived() => Volatile.Write(ref _lastReceived, Environment.TickCount64);

    /// <summary>Once true, the session was ended exactly once (presence, queue hand-over).</summary>
    public bool TryMarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>
    /// Queues a stanza. False if the session is closing; a session whose client does not read closes.
    /// While the client is inactive (XEP-0352), presence is held back, newest per sender, and released
    /// before the next stanza that matters.
    /// </summary>
    public bool Send(XmlElement element)
    {
        if (_inactive)
        {
            lock (_inactiveBuffer)
            {
                if (_inactive)
                {
                    if (element.Name == "presence" && element.GetAttribute("type") is null or "unavailable")
                    {
                        (_bufferedPresence ??= new(StringComparer.Ordinal))[element.GetAttribute("from") ?? ""] = element;
                        return true;
                    }

                    FlushBufferedPresence();
                }
            }
        }

        return Enqueue(new OutboundItem(OutboundKind.Stanza, element));
    }

    /// <summary>A stream-level element (not counted by stream management).</summary>
    public bool SendNonza(XmlElement element) => Enqueue(new OutboundItem(OutboundKind.Nonza, element));

    public void SendKeepalive() => Enqueue(new OutboundItem(OutboundKind.Keepalive, null));

    /// <summary>Passes the client's &lt;a h/&gt; to the writer, which owns the unacknowledged queue.</summary>
    public void ClientAcknowledged(uint h) => _outbound.Writer.TryWrite(new OutboundItem(OutboundKind.ClientAck, null, h));

    /// <summary>XEP-0352 client state.</summary>
    public void SetInactive(bool inactive)
    {
        lock (_inactiveBuffer)
        {
            _inactive = inactive;
            if (!inactive)
            {
                FlushBufferedPresence();
            }
        }
    }

    private void FlushBufferedPresence()
    {
        if (_bufferedPresence is { Count: > 0 })
        {
            foreach (var p in _bufferedPresence.Values)
            {
                Enqueue(new OutboundItem(OutboundKind.Stanza, p));
            }

            _bufferedPresence.Clear();
        }
    }

    private bool Enqueue(OutboundItem item)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueue)
        {
            Interlocked.Decrement(ref _queued);
            Close(new StreamError("policy-violation", "Too many stanzas are waiting to be delivered to this client."));
            return false;
        }

        if (_outbound.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>Ends the session: the writer sends what is queued, then the error (if any) and the closing tag.</summary>
    public void Close(StreamError? error)
    {
        Interlocked.CompareExchange(ref _closeError, error ?? new StreamError(""), null);
        _outbound.Writer.TryComplete();
    }

    /// <summary>
    /// Makes <paramref name="connection"/> the carrier of this session and returns the cancellation of
    /// the previous one (to stop it) - a resumption may arrive before the old connection noticed it died.
    /// </summary>
    public CancellationTokenSource? Attach(object connection, CancellationTokenSource cancellation)
    {
        lock (_inactiveBuffer)
        {
            var previous = Connection is null ? null : ConnectionCancellation;
            Connection = connection;
            ConnectionCancellation = cancellation;
            DetachedSinceTicks = 0;
            return previous;
        }
    }

    /// <summary>The connection is gone but the session waits for resumption. False if another connection took over.</summary>
    public bool TryDetach(object connection)
    {
        lock (_inactiveBuffer)
        {
            if (!ReferenceEquals(Connection, connection))
            {
                return false;
            }

            Connection = null;
            ConnectionCancellation = null;
            DetachedSinceTicks = Environment.TickCount64;
            return true;
        }
    }

    /// <summary>True while <paramref name="connection"/> carries this session.</summary>
    public bool IsCarriedBy(object connection)
    {
        lock (_inactiveBuffer)
        {
            return ReferenceEquals(Connection, connection);
        }
    }

    /// <summary>
    /// Writes queued items to <paramref name="output"/> until the session closes or the connection is
    /// cancelled. With <paramref name="resend"/>, the unacknowledged stanzas go first (XEP-0198 resumption).
    /// Returns true when the session was closed (closing tag written), false when only the connection ended.
    /// </summary>
    public async Task<bool> RunWriterAsync(PipeWriter output, Transport.StreamFraming framing, bool resend, CancellationToken cancellationToken)
    {
        var reader = _outbound.Reader;
        var sm = resend ? StreamManagement : null; // counting starts once <enabled/> is written
        try
        {
            if (resend && sm is not null)
            {
                foreach (var stanza in sm.Unacked)
                {
                    framing.WriteElement(output, stanza);
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var stanzas = 0;
                while (reader.TryRead(out var item))
                {
                    if (item.Kind != OutboundKind.ClientAck)
                    {
                        Interlocked.Decrement(ref _queued);
                    }

                    switch (item.Kind)
                    {
                        case OutboundKind.Stanza:
                            sm?.Sent(item.Element!); // kept before writing: a write that fails is resent later
                            framing.WriteElement(output, item.Element!);
                            stanzas++;
                            break;
                        case OutboundKind.Nonza:
                            framing.WriteElement(output, item.Element!);
                            if (item.Element!.Name == "enabled" && item.Element.Namespace == StreamManagement.Namespace)
                            {
                                sm = StreamManagement;
                            }

                            break;
                        case OutboundKind.Keepalive:
                            framing.WriteKeepalive(output);
                            break;
                        case OutboundKind.ClientAck:
                            sm?.Acknowledge(item.Count);
                            break;
                    }
                }

                if (sm is not null && stanzas > 0 && !sm.AckRequested)
                {
                    // Ask once per burst; the answer lets the unacknowledged queue shrink.
                    framing.WriteElement(output, new XmlElement("r", StreamManagement.Namespace));
                    sm.AckRequested = true;
                }

                Volatile.Write(ref _lastSent, Environment.TickCount64);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return false;
                }
            }

            var error = _closeError;
            if (error is not null && error.Condition.Length > 0)
            {
                framing.WriteElement(output, error.ToElement());
            }

            framing.WriteClose(output);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            return IsClosed;
        }
    }

    /// <summary>
    /// After the session ended: every stanza that never reached the client for sure - not acknowledged,
    /// or still queued - so the caller can deliver it elsewhere (XEP-0198 §4: never into the void).
    /// </summary>
    public List<XmlElement> TakeUndelivered()
    {
        var items = StreamManagement?.TakeUnacked() ?? [];
        while (_outbound.Reader.TryRead(out var item))
        {
            if (item.Kind == OutboundKind.Stanza)
            {
                items.Add(item.Element!);
            }
        }

        lock (_inactiveBuffer)
        {
            _bufferedPresence?.Clear();
        }

        return items;
    }
}
