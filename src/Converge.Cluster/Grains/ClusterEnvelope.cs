namespace Converge.Cluster.Grains;

/// <summary>
/// One item from one node to another, in the order the sender queued it.
/// </summary>
/// <param name="FullJid">The session it is about (a stanza's recipient, or the announced session).</param>
/// <param name="Xml">The stanza; for <see cref="ClusterEnvelopeKind.SessionUp"/> the session's last available presence, null while unavailable.</param>
/// <param name="Priority">The session's priority (SessionUp only).</param>
/// <param name="Interests">What pushes the session asked for (SessionUp only).</param>
/// <param name="Handover">
/// For a message the sending node keeps until it is settled here (<see cref="Sessions.HandoverLedger"/>): its id
/// there, unique on that node; 0 for everything the sender does not keep.
/// </param>
/// <param name="Settled">For <see cref="ClusterEnvelopeKind.Settled"/>: the handover ids of the receiver's messages that are safe here.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterEnvelope(
    [property: Id(0)] ClusterEnvelopeKind Kind,
    [property: Id(1)] string FullJid,
    [property: Id(2)] string? Xml,
    [property: Id(3)] int Priority,
    [property: Id(4)] SessionInterests Interests = SessionInterests.None,
    [property: Id(5)] long Handover = 0,
    [property: Id(6)] long[]? Settled = null);
