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

    /// <summary>
    /// The resource asked for roster or block-list pushes (it fetched its roster or block list): the other
    /// nodes' copies learn it, so that a change made through another node is pushed to it too.
    /// </summary>
    void InterestsChanged(ClientSession session);

    /// <summary>
    /// The account's block list changed here: the other nodes forget their cached copy of it, so that
    /// what they route to or from the account is checked against the new list (XEP-0191 §3.3).
    /// </summary>
    void BlockListChanged(Core.Addressing.Jid owner);
}
