using Converge.Xmpp.Client;

namespace Converge.Xmpp.Routing.Cluster;

/// <summary>
/// What the other nodes of a cluster are told about this node's sessions. The session table calls it
/// when a local resource binds, changes its presence or priority, or ends; the cluster keeps the other
/// nodes' sessions in the same table as remote entries (<see cref="ClientSession.RemoteNode"/>), so that
/// bare-JID delivery, presence, probes, carbons, PEP and group chat reach them with no change to the
/// modules. A node alone uses <see cref="SingleNode"/>, which does nothing.
/// </summary>
internal interface IClusterSessions
{
    /// <summary>Called once by the server being built, before any session binds.</summary>
    void Attach(ServerContext server);

    void SessionBound(ClientSession session);

    /// <summary>
    /// The resource's presence or priority changed (available, away, unavailable). Completes once the
    /// other nodes have it (bounded wait): the presence module then reads what waited in the shared store
    /// (pending subscription requests), so a request stored by another node that had not yet seen this
    /// resource is found here, and one stored after is delivered there to it.
    /// </summary>
    ValueTask PresenceChangedAsync(ClientSession session);

    void SessionEnded(ClientSession session);
}
