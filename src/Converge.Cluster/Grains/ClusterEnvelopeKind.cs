namespace Converge.Cluster.Grains;

/// <summary>What one item handed to another node carries.</summary>
public enum ClusterEnvelopeKind
{
    /// <summary>A stanza for the session named by the envelope.</summary>
    Stanza,

    /// <summary>The sending node holds this session (bound, or its presence or priority changed).</summary>
    SessionUp,

    /// <summary>The sending node no longer holds this session.</summary>
    SessionDown,

    /// <summary>
    /// Messages the receiving node handed over earlier are safe on the sending node (acknowledged by
    /// the client, or delivered elsewhere): the receiver may forget them (<see cref="ClusterEnvelope.Settled"/>).
    /// </summary>
    Settled,

    /// <summary>The block list of the account named by the envelope (a bare JID) changed on the sending node.</summary>
    BlockListChanged,
}
