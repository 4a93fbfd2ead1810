namespace Converge.Core.Storage;

/// <summary>
/// What the interworking function must not forget on a restart (issue 15, item 4): session
/// invitations (XEP-0155) adapted to SMS or mail and the sessions they opened, and the progress of
/// every SMS submission part by part - which parts the SMSC acknowledged under which id, which part
/// was being written when the process stopped, and delivery reports that named an id nobody knew.
/// </summary>
public interface IInterworkingStateStore
{
    /// <summary>Every session record of <paramref name="channel"/> (read once at start-up).</summary>
    Task<IReadOnlyList<InterworkingSessionRecord>> SessionsAsync(OutboxChannel channel, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of (channel, user, legacy address, state).</summary>
    Task SaveSessionAsync(InterworkingSessionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Removes the record of (channel, user, legacy address, state), if any.</summary>
    Task RemoveSessionAsync(OutboxChannel channel, string cpmUser, string legacyAddress, InterworkingSessionState state, CancellationToken cancellationToken = default);

    /// <summary>The parts recorded for outbox item <paramref name="outboxId"/>, in part order.</summary>
    Task<IReadOnlyList<SmsPartRecord>> PartsAsync(long outboxId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of (OutboxId, Part).</summary>
    Task SavePartAsync(SmsPartRecord part, CancellationToken cancellationToken = default);

    /// <summary>The part submitted under <paramref name="messageId"/> (canonical form), if still tracked.</summary>
    Task<SmsPartRecord?> FindPartAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Forgets every part of outbox item <paramref name="outboxId"/>.</summary>
    Task RemovePartsAsync(long outboxId, CancellationToken cancellationToken = default);

    /// <summary>Keeps a delivery report whose id matched no tracked part (inserts or replaces by id).</summary>
    Task SaveUnmatchedReceiptAsync(UnmatchedReceiptRecord receipt, CancellationToken cancellationToken = default);

    /// <summary>The unmatched reports from <paramref name="handset"/> to <paramref name="providerNumber"/>, oldest first.</summary>
    Task<IReadOnlyList<UnmatchedReceiptRecord>> UnmatchedReceiptsAsync(string handset, string providerNumber, CancellationToken cancellationToken = default);

    /// <summary>The unmatched report for <paramref name="messageId"/> (canonical form), if any.</summary>
    Task<UnmatchedReceiptRecord?> FindUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default);

    Task RemoveUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Forgets parts recorded and unmatched reports received before <paramref name="before"/>; returns how many rows went.</summary>
    Task<int> ExpireSmsTrackingAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
