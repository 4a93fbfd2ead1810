namespace Converge.Xmpp.Im;

/// <summary>One pass of archive retention, as the admin API reports it.</summary>
/// <param name="Trigger"><c>schedule</c> (the hourly pass) or the operator who asked, e.g. <c>token:noc</c>.</param>
/// <param name="Cutoff">Archived messages older than this were removed.</param>
/// <param name="Deleted">Messages removed (0 when the pass failed).</param>
/// <param name="Error">Why the pass failed; null when it succeeded.</param>
public sealed record ArchiveRetentionRun(string Trigger, DateTimeOffset Started, DateTimeOffset Finished, DateTimeOffset Cutoff, int Deleted, string? Error);
