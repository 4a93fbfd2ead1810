using System.Threading.Channels;
using Converge.Cluster.Grains;
using Converge.Core.Addressing;
using Converge.Xmpp.Routing.Cluster;
using Converge.Xmpp.Xml;

namespace Converge.Cluster.Sessions;

/// <summary>
/// The way to one other node: items queue in order and one pump hands them over in batches, one
/// grain call per batch, so a burst costs few calls and the order stays the order they were queued in.
/// </summary>
internal sealed class NodeLink : IRemoteNode
{
    /// <summary>Bound of the queue to one node: past it, a stanza is delivered elsewhere (offline) rather than held.</summary>
    public const int MaxQueued = 50_000;

    private const int MaxBatch = 256;

    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ClusterNode _node;
    private readonly INodeGrain _grain;
    private readonly HandoverLedger _ledger = new();
    private volatile bool _closed;
    private int _fullLogged;

    public NodeLink(ClusterNode node, string name, IGrainFactory grains)
    {
        _node = node;
        Name = name;
        _grain = grains.GetGrain<INodeGrain>(name);
    }

    public string Name { get; }

    public bool IsClosed => _closed;

    /// <summary>Whether the node was sent every session of ours (once, when Orleans first showed it active).</summary>
    public bool Introduced { get; set; }

    /// <summary>
    /// Queues a stanza for a session on the node. A message is also kept in the ledger until the node
    /// settles it, so that it is redelivered here if the node dies before its client has it.
    /// </summary>
    public bool Forward(Jid to, XmlElement element)
    {
        var stanza = new ClusterEnvelope(ClusterEnvelopeKind.Stanza, to.ToString(), element.ToString(), 0);
        if (!HandoverLedger.Keeps(element))
        {
            return Enqueue(stanza);
        }

        var kept = stanza with { Handover = _node.NextHandoverId() };
        if (!_ledger.TryKeep(kept))
        {
            if (!_closed && Interlocked.Exchange(ref _fullLogged, 1) == 0)
            {
                _node.LogLedgerFull(Name); // once, until the node settles some again
            }

            return Enqueue(stanza);
        }

        if (Enqueue(kept))
        {
            return true;
        }

        _ledger.Forget(kept.Handover);
        return false;
    }

    /// <summary>The node reports these messages safe there.</summary>
    public void Settled(long[] handovers)
    {
        _ledger.Forget(handovers);
        Volatile.Write(ref _fullLogged, 0);
    }

    public bool Enqueue(ClusterEnvelope envelope) => !_closed && _queue.Writer.TryWrite(new Queued(envelope, null));

    /// <summary>Queues an item; <paramref name="delivered"/> completes when the node has taken it (or is gone).</summary>
    public bool Enqueue(ClusterEnvelope envelope, out Task delivered)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        delivered = done.Task;
        return !_closed && _queue.Writer.TryWrite(new Queued(envelope, done));
    }

    /// <summary>An item and who waits for its handover.</summary>
    private readonly record struct Queued(ClusterEnvelope Envelope, TaskCompletionSource? Delivered);

    /// <summary>
    /// The node is gone: nothing more is queued, and what it had not settled is handed back - the
    /// unkept items still queued, then every kept message (queued or handed over) in the order sent.
    /// </summary>
    public List<ClusterEnvelope> Close()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        var left = new List<ClusterEnvelope>();
        while (_queue.Reader.TryRead(out var item))
        {
            if (item.Envelope.Handover == 0)
            {
                left.Add(item.Envelope);
            }

            item.Delivered?.TrySetResult();
        }

        left.AddRange(_ledger.Close());
        return left;
    }

    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Queued>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var items = batch.Select(q => q.Envelope).ToArray();
            var delivered = await TryDeliverAsync(items, cancellationToken).ConfigureAwait(false);
            foreach (var queued in batch)
            {
                queued.Delivered?.TrySetResult();
            }

            if (!delivered)
            {
                await _node.NodeUnreachableAsync(this, items).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>A few tries over a few seconds (a node that is starting or busy); false: it is gone for us.</summary>
    private async Task<bool> TryDeliverAsync(ClusterEnvelope[] items, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _grain.DeliverAsync(_node.Name, items).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _node.LogDeliveryFailed(Name, attempt, e);
                if (_closed || attempt == 3)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
