namespace Converge.Core.Storage;

/// <summary>
/// One part of an SMS submission (outbox item <paramref name="OutboxId"/>, part <paramref name="Part"/> of
/// <paramref name="Parts"/>, 1-based, all with the concatenation <paramref name="Reference"/>). Recorded
/// before its submit_sm is written: <paramref name="MessageId"/> null means "being submitted" - after a
/// crash, the SMSC may or may not hold it. <paramref name="Notify"/> is what the CPM user is told a
/// delivery report about (the adapter's JSON), null when nobody waits for one.
/// </summary>
public sealed record SmsPartRecord(
    long OutboxId, int Part, int Parts, int Reference, string? MessageId, string Source, string Destination, string? Notify, bool Delivered, DateTimeOffset At);
