namespace Converge.Core.Storage;

/// <summary>One channel's outbox in three figures: waiting items, lanes with waiting items, and the oldest item's acceptance time.</summary>
public sealed record OutboxChannelTotals(OutboxChannel Channel, long Depth, int Lanes, DateTimeOffset? Oldest);
