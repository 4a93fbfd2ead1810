using System.Buffers;
using System.IO.Pipelines;
using Converge.Core.Addressing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// A bound client resource. Any thread may queue stanzas to it (<see cref="OutboundQueue"/>); one writer
/// loop serializes them into the connection's pipe and flushes once per burst, so a burst of
/// deliveries costs one system call rather than one per stanza.
/// The session outlives its connection when stream management allows resumption (XEP-0198):
/// the queue and the unacknowledged stanzas wait for the next connection to attach.
/// State other than the queue (presence, priority, interest) is written only by the session's own
/// read loop and read by others as plain volatile snapshots.
/// What a session may hold is bounded twice: in stanzas (the queue) and in bytes (the queue plus what
/// was sent and not yet acknowledged); past either the session ends with policy-violation, so one
/// client that stops reading or acknowledging cannot take the server's memory.
/// </summary>
internal sealed class ClientSession
{
    // Writes one session may have waiting for their commit before its reading pauses: more than a
    // client's usual burst, nothing a flood can turn into a backlog (all sessions: PendingWriteBudget).
    private const int MaxPendingWrites = 64;

    private readonly OutboundQueue _outbound = new();

    private readonly int _maxQueue;
    private readonly long _maxBytes;
    private long _queuedBytes;
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _inactiveBuffer = new();
    private Dictionary<string, XmlElement>? _bufferedPresence;
    private int _queued;
    private StreamError? _closeError;
    private volatile XmlElement? _presence;
    private volatile bool _inactive;
    private long _lastReceived = Environment.TickCount64;
    private long _lastSent = Environment.TickCount64;
    private int _ended;
    private List<Routing.Cluster.IHandoverReceipt>? _handedBack;

    public ClientSession(Jid fullJid, int maxQueue, long maxBytes = long.MaxValue, PendingWriteBudget? pendingWrites = null)
    {
        Inbound = new InboundDurability(MaxPendingWrites, pendingWrites);
        FullJid = fullJid;
        BareJid = fullJid.Bare;
        _maxQueue = maxQueue;
        _maxBytes = maxBytes;
    }

    /// <summary>The most bytes this session may hold (queued plus unacknowledged).</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>Bytes held for this client now: queued for the writer plus sent and not yet acknowledged.</summary>
    public long PendingBytes => Volatile.Read(ref _queuedBytes) + (StreamManagement?.UnackedBytes ?? 0);

    public Jid FullJid { get; }

    /// <summary>The metrics label of the listener the session was bound on (c2s, c2s_direct_tls); a constant, never a JID.</summary>
    public string Listener { get; init; } = Diagnostics.XmppMetrics.ListenerClient;

    /// <summary>When the resource was bound.</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public Jid BareJid { get; }

    /// <summary>The last available presence broadcast by this resource; null while unavailable.</summary>
    public XmlElement? Presence
    {
        get => _presence;
        set => _presence = value;
    }

    public bool IsAvailable => _presence is not null;

    /// <summary>
    /// Set for a session held by another cluster node: what is sent to it goes to that node, which hands
    /// it to the real session there. Null for every session of this node (the local fast path).
    /// </summary>
    public Routing.Cluster.IRemoteNode? RemoteNode { get; init; }

    public bool IsRemote => RemoteNode is not null;

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

    /// <summary>What the client sent, handled and stored: the back-pressure on its reading and the 'h' it is told.</summary>
    public InboundDurability Inbound { get; }

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
    public bool Send(XmlElement element) => Send(element, null);

    /// <summary>
    /// Queues a message another cluster node handed over; <paramref name="receipt"/> is settled once the
    /// client acknowledged it (XEP-0198) or, without stream management, once it was written.
    /// </summary>
    public bool Send(XmlElement element, Routing.Cluster.IHandoverReceipt? receipt)
    {
        if (RemoteNode is { } node)
        {
            return node.Forward(FullJid, element);
        }

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

        return Enqueue(new OutboundItem(OutboundKind.Stanza, element, Size: XmlSize.Of(element), Receipt: receipt));
    }

    /// <summary>
    /// Queues a stanza only if it fits under the byte bound (with room to spare: half of it), without
    /// closing the session when it does not; false then, and the caller keeps the stanza elsewhere.
    /// </summary>
    public bool SendWithinBound(XmlElement element) =>
        RemoteNode is { } node ? node.Forward(FullJid, element) : !IsClosed && PendingBytes + XmlSize.Of(element) <= Math.Max(1, _maxBytes / 2) && Send(element);

    /// <summary>A stream-level element (not counted by stream management).</summary>
    public bool SendNonza(XmlElement element) => Enqueue(new OutboundItem(OutboundKind.Nonza, element, Size: XmlSize.Of(element)));

    public void SendKeepalive() => Enqueue(new OutboundItem(OutboundKind.Keepalive, null));

    /// <summary>Passes the client's &lt;a h/&gt; to the writer, which owns the unacknowledged queue.</summary>
    public void ClientAcknowledged(uint h) => _outbound.TryWrite(new OutboundItem(OutboundKind.ClientAck, null, h));

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
                Enqueue(new OutboundItem(OutboundKind.Stanza, p, Size: XmlSize.Of(p)));
            }

            _bufferedPresence.Clear();
        }
    }

    private bool Enqueue(OutboundItem item)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueue)
        {
            Interlocked.Decrement(ref _queued);
            Overflow(new StreamError("policy-violation", "Too many stanzas are waiting to be delivered to this client."));
            return false;
        }

        if (Interlocked.Add(ref _queuedBytes, item.Size) + (StreamManagement?.UnackedBytes ?? 0) > _maxBytes)
        {
            Interlocked.Add(ref _queuedBytes, -item.Size);
            Interlocked.Decrement(ref _queued);
            Overflow(new StreamError("policy-violation", "Too many bytes are waiting to be delivered to, or acknowledged by, this client."));
            return false;
        }

        if (_outbound.TryWrite(item))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -item.Size);
        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>
    /// The client does not take what it is sent: the session closes with <paramref name="error"/>. A
    /// client that stopped reading would leave the writer waiting on a full socket for ever, so the
    /// connection is cut if the writer has not finished saying goodbye within a few seconds.
    /// </summary>
    private void Overflow(StreamError error)
    {
        if (IsClosed)
        {
            return;
        }

        Close(error);
        var connection = ConnectionCancellation;
        var writer = Writer;
        if (connection is not null)
        {
            _ = CutAsync(writer, connection);
        }
    }

    private static async Task CutAsync(Task writer, CancellationTokenSource connection)
    {
        await writer.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            connection.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Waits until <paramref name="size"/> more bytes fit under <paramref name="limit"/> (what is pending
    /// is always allowed one item), the session closed, or <paramref name="cancellationToken"/> fired.
    /// The writer wakes waiters whenever it flushed or the client acknowledged, so a backlog is handed
    /// out at the pace the client takes it.
    /// </summary>
    public async ValueTask WaitForRoomAsync(long size, long limit, CancellationToken cancellationToken)
    {
        while (!IsClosed)
        {
            var room = Volatile.Read(ref _room).Task;
            var pending = PendingBytes;
            if (pending == 0 || pending + size <= limit)
            {
                return;
            }

            // The timeout only guards against a missed wake-up; the loop checks again either way.
            await room.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void WakeRoomWaiters() =>
        Interlocked.Exchange(ref _room, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Ends the session: the writer sends what is queued, then the error (if any) and the closing tag.</summary>
    public void Close(StreamError? error)
    {
        Interlocked.CompareExchange(ref _closeError, error ?? new StreamError(""), null);
        _outbound.TryComplete();
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
        var reader = _outbound;
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
                var acknowledged = false;
                while (reader.TryRead(out var item))
                {
                    if (item.Kind != OutboundKind.ClientAck)
                    {
                        Interlocked.Decrement(ref _queued);
                    }

                    // Moved from queued to unacknowledged in the same step for stanzas under SM: the
                    // sum the bound is checked against never dips while the bytes are still held.
                    if (item.Kind == OutboundKind.Stanza && sm is not null)
                    {
                        sm.Sent(item.Element!, item.Size, item.Receipt); // kept before writing: a write that fails is resent later
                    }
                    else if (item.Receipt is { } written)
                    {
                        // Without stream management, written is all a client is ever known to have got.
                        written.Settle();
                    }

                    Interlocked.Add(ref _queuedBytes, -item.Size);

                    switch (item.Kind)
                    {
                        case OutboundKind.Stanza:
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
                            acknowledged = true;
                            WakeRoomWaiters();
                            break;
                    }
                }

                if (sm is not null && !sm.AckRequested && (stanzas > 0 || (acknowledged && sm.UnackedCount > 0)))
                {
                    // Ask once per burst; the answer lets the unacknowledged queue shrink. Ask again when an
                    // answer left stanzas unacknowledged (written while the last request was outstanding):
                    // a paced backlog waits for them, and nothing else would make the client say so.
                    framing.WriteElement(output, new XmlElement("r", StreamManagement.Namespace));
                    sm.AckRequested = true;
                }

                Volatile.Write(ref _lastSent, Environment.TickCount64);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                WakeRoomWaiters();
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
        var receipts = new List<Routing.Cluster.IHandoverReceipt>();
        var items = StreamManagement?.TakeUnacked(receipts) ?? [];
        while (_outbound.TryRead(out var item))
        {
            if (item.Kind == OutboundKind.Stanza)
            {
                items.Add(item.Element!);
                if (item.Receipt is { } receipt)
                {
                    receipts.Add(receipt);
                }
            }
        }

        if (receipts.Count > 0)
        {
            Volatile.Write(ref _handedBack, receipts);
        }

        lock (_inactiveBuffer)
        {
            _bufferedPresence?.Clear();
        }

        return items;
    }

    /// <summary>
    /// The caller delivered what <see cref="TakeUndelivered"/> returned elsewhere (another resource,
    /// offline storage): the nodes that handed some of it over may forget it now.
    /// </summary>
    public void SettleHandedBack()
    {
        if (Interlocked.Exchange(ref _handedBack, null) is { } receipts)
        {
            foreach (var receipt in receipts)
            {
                receipt.Settle();
            }
        }
    }
}
