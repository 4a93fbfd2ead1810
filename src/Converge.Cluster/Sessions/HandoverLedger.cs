using Converge.Cluster.Grains;
using Converge.Xmpp.Xml;

namespace Converge.Cluster.Sessions;

/// <summary>
/// The messages this node handed to one other node and keeps until that node says they are safe there
/// (its client acknowledged them, or it delivered them elsewhere): if the node dies first, they are
/// redelivered here to another resource or offline storage rather than left only in the archive.
/// Only messages that RFC 6121 §8.5 would store offline are kept; presence, IQs, errors, group chat,
/// headlines and carbon copies are not. Bounded: past <see cref="MaxKept"/> a message is handed over
/// unkept (it is then, as before this ledger, only in the archive if the node dies).
/// </summary>
internal sealed class HandoverLedger
{
    /// <summary>Messages kept for one node at most (a node whose clients stop acknowledging must not take our memory).</summary>
    public const int MaxKept = 100_000;

    private const string Carbons = "urn:xmpp:carbons:2";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, ClusterEnvelope> _kept = [];
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>Whether a message is worth keeping: one that would go to another resource or offline storage.</summary>
    public static bool Keeps(XmlElement element) =>
        element.Name == "message"
        && element.GetAttribute("type") is not ("error" or "groupchat" or "headline")
        && element.Element("received", Carbons) is null
        && element.Element("sent", Carbons) is null;

    /// <summary>Keeps <paramref name="envelope"/> under its handover id; false when full or closed (hand it over unkept).</summary>
    public bool TryKeep(ClusterEnvelope envelope)
    {
        lock (_gate)
        {
            if (_closed || _kept.Count >= MaxKept)
            {
                return false;
            }

            _kept[envelope.Handover] = envelope;
            return true;
        }
    }

    /// <summary>The node has them (or they were never handed over): forget them.</summary>
    public void Forget(ReadOnlySpan<long> handovers)
    {
        lock (_gate)
        {
            foreach (var id in handovers)
            {
                _kept.Remove(id);
            }
        }
    }

    public void Forget(long handover) => Forget([handover]);

    /// <summary>The node is gone: everything still kept, in the order it was handed over. Keeps nothing after.</summary>
    public List<ClusterEnvelope> Close()
    {
        lock (_gate)
        {
            _closed = true;
            var left = _kept.Values.OrderBy(e => e.Handover).ToList();
            _kept.Clear();
            return left;
        }
    }
}
