namespace Converge.Core.Storage;

/// <summary>One lane of the outbox as an operator sees it: how many items wait, since when, and the head's retry state.</summary>
/// <param name="Lane">The ordering key (one sender to one recipient).</param>
/// <param name="Depth">Items waiting in the lane.</param>
/// <param name="Oldest">When the lane's oldest waiting item was accepted.</param>
/// <param name="HeadAttempts">Failed attempts of the lane's head so far.</param>
/// <param name="NextAttempt">When the head is tried next.</param>
public sealed record OutboxLane(string Lane, OutboxChannel Channel, int Depth, DateTimeOffset Oldest, int HeadAttempts, DateTimeOffset NextAttempt);
