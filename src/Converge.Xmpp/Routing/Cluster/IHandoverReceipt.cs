namespace Converge.Xmpp.Routing.Cluster;

/// <summary>
/// A message another node handed to a session of this node and keeps until told it is safe here. The
/// session settles it once the message cannot be lost with this node any more: its client acknowledged
/// it (XEP-0198), it was written to a client without stream management, or the session ended and the
/// message was delivered elsewhere (another resource, offline storage). Until then the sending node
/// redelivers it if this node dies. Null on every message of the local fast path.
/// </summary>
internal interface IHandoverReceipt
{
    void Settle();
}
