namespace Converge.Interworking.Sms;

/// <summary>
/// Where a submission records its progress part by part, so that a crash in the middle of it leaves
/// a record of exactly which part may or may not be at the SMSC.
/// </summary>
public interface ISmsPartJournal
{
    /// <summary>Part <paramref name="part"/> (1-based) of <paramref name="parts"/> is about to be written; returns once that is recorded.</summary>
    Task SubmittingAsync(int part, int parts, int reference, CancellationToken cancellationToken);

    /// <summary>The SMSC acknowledged part <paramref name="part"/> under <paramref name="messageId"/>.</summary>
    Task SubmittedAsync(int part, string messageId, CancellationToken cancellationToken);
}
