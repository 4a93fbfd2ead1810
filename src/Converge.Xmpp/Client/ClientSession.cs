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
/// State other than the queue (presence, priority, interest) is written only by the session's own
/// read loop and read by others as plain volatile snapshots.
/// </summary>
internal sealed class ClientSession
{
    /// <summary>Queued to ask the writer for one whitespace keepalive.</summary>
    internal static readonly XmlElement Keepalive = new(" ", "");

    private readonly Channel<XmlElement> _outbound = Channel.CreateUnbounded<XmlElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly int _maxQueue;
    private int _queued;
    private StreamError? _closeError;
    private volatile XmlElement? _presence;
    private long _lastReceived = Environment.TickCount64;
    private long _lastSent = Environment.TickCount64;

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

    /// <summary>Entities this resource sent directed presence to (RFC 6121 §4.6), told when it goes offline.</summary>
    public HashSet<Jid> DirectedPresence { get; } = [];

    public bool IsClosed => _closeError is not null || _outbound.Reader.Completion.IsCompleted;

    public long LastReceivedTicks => Volatile.Read(ref _lastReceived);

    public long LastSentTicks => Volatile.Read(ref _lastSent);

    /// <summary>When the idle sweeper pinged this silent client (0: not pinged).</summary>
    public long IdlePingTicks { get; set; }

    public void MarkReceived() => Volatile.Write(ref _lastReceived, Environment.TickCount64);

    /// <summary>Queues a stanza. False if the session is closing; a session whose client does not read closes.</summary>
    public bool Send(XmlElement element)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueue)
        {
            Interlocked.Decrement(ref _queued);
            Close(new StreamError("policy-violation", "too many stanzas waiting to be delivered"));
            return false;
        }

        if (_outbound.Writer.TryWrite(element))
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

    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var element))
                {
                    Interlocked.Decrement(ref _queued);
                    if (ReferenceEquals(element, Keepalive))
                    {
                        output.Write(" "u8);
                    }
                    else
                    {
                        XmlWriter.Write(output, element, Namespaces.Client);
                    }
                }

                Volatile.Write(ref _lastSent, Environment.TickCount64);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }

            var error = _closeError;
            if (error is not null && error.Condition.Length > 0)
            {
                XmlWriter.Write(output, error.ToElement(), Namespaces.Client);
            }

            StreamHeader.WriteClose(output);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The connection is gone; the read loop ends the session.
        }
        finally
        {
            _outbound.Writer.TryComplete();
        }
    }
}
