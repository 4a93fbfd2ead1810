using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// XEP-0198 state of one session. The outbound side (counter and the stanzas not yet acknowledged)
/// belongs to the writer loop; the inbound count is the session's <see cref="InboundDurability"/>. Nothing here is shared
/// between threads except through the session's queue, so it needs no lock; only the byte count of
/// the unacknowledged stanzas is read by other threads (to bound the session), hence volatile.
/// </summary>
internal sealed class StreamManagement(string? resumptionId)
{
    public const string Namespace = "urn:xmpp:sm:3";

    private readonly Queue<(uint Sequence, XmlElement Stanza, long Size, Routing.Cluster.IHandoverReceipt? Receipt)> _unacked = new();
    private long _unackedBytes;

    /// <summary>The id a client resumes with; null when resumption was not asked for.</summary>
    public string? ResumptionId { get; } = resumptionId;

    /// <summary>Stanzas written to the client.</summary>
    public uint OutboundCount { get; private set; }

    /// <summary>An &lt;r/&gt; is outstanding; another is not sent until the client answers.</summary>
    public bool AckRequested { get; set; }

    public int UnackedCount => _unacked.Count;

    /// <summary>Bytes sent and not yet acknowledged (<see cref="Xml.XmlSize"/>).</summary>
    public long UnackedBytes => Volatile.Read(ref _unackedBytes);

    public void Sent(XmlElement stanza, long size, Routing.Cluster.IHandoverReceipt? receipt = null)
    {
        _unacked.Enqueue((++OutboundCount, stanza, size, receipt));
        Volatile.Write(ref _unackedBytes, _unackedBytes + size);
    }

    /// <summary>Drops what the client confirmed. Counts wrap at 2^32 (XEP-0198 §5), hence the signed difference.</summary>
    public void Acknowledge(uint h)
    {
        while (_unacked.Count > 0 && (int)(h - _unacked.Peek().Sequence) >= 0)
        {
            var acknowledged = _unacked.Dequeue();
            Volatile.Write(ref _unackedBytes, _unackedBytes - acknowledged.Size);
            acknowledged.Receipt?.Settle(); // the client has it: the node that handed it over may forget it
        }

        AckRequested = false;
    }

    /// <summary>The stanzas to resend after a resumption (in order), or to hand elsewhere when the session is over.</summary>
    public IEnumerable<XmlElement> Unacked => _unacked.Select(u => u.Stanza);

    /// <summary>Whether a client's 'h' is plausible: not more than was sent.</summary>
    public bool IsValidAck(uint h) => (int)(OutboundCount - h) >= 0;

    /// <summary>Takes every unacknowledged stanza; the receipts of handed-over ones go to <paramref name="receipts"/>.</summary>
    public List<XmlElement> TakeUnacked(List<Routing.Cluster.IHandoverReceipt> receipts)
    {
        var all = new List<XmlElement>(_unacked.Count);
        foreach (var unacked in _unacked)
        {
            all.Add(unacked.Stanza);
            if (unacked.Receipt is { } receipt)
            {
                receipts.Add(receipt);
            }
        }

        _unacked.Clear();
        Volatile.Write(ref _unackedBytes, 0);
        return all;
    }
}
