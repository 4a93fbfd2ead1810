using Converge.Core.Addressing;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing.Cluster;

/// <summary>Another node of the cluster, as the sessions it holds see it: the one way to hand it a stanza.</summary>
internal interface IRemoteNode
{
    /// <summary>The node's configured name (Cluster.NodeName).</summary>
    string Name { get; }

    /// <summary>
    /// Queues <paramref name="element"/> for the session <paramref name="to"/> on that node, in order
    /// after everything queued before. False when the node is gone (the caller delivers elsewhere).
    /// </summary>
    bool Forward(Jid to, XmlElement element);
}
