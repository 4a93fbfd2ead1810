using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

internal enum OutboundKind : byte
{
    /// <summary>A message, presence or IQ: counted and kept for resending under stream management.</summary>
    Stanza,

    /// <summary>A stream-level element (SM acks, errors of negotiation): written, never counted.</summary>
    Nonza,

    /// <summary>One whitespace keepalive.</summary>
    Keepalive,

    /// <summary>The client acknowledged stanzas up to the count in <see cref="OutboundItem.Count"/> (XEP-0198 &lt;a h/&gt;).</summary>
    ClientAck,
}

/// <summary>
/// What the session's writer loop is asked to do next; <see cref="Size"/> is the element's size in bytes (<see cref="XmlSize"/>).
/// <see cref="Receipt"/> is set only for a message another cluster node handed over and keeps until it is settled here.
/// </summary>
internal readonly record struct OutboundItem(
    OutboundKind Kind, XmlElement? Element, uint Count = 0, long Size = 0, Routing.Cluster.IHandoverReceipt? Receipt = null);
