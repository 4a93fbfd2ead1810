namespace Converge.Interworking.Email;

/// <summary>The outcome of one <see cref="SmtpSender.SendAsync"/>, per recipient in the order given.</summary>
public sealed class SmtpDeliveryResult(IReadOnlyList<SmtpRecipientResult> recipients)
{
    public IReadOnlyList<SmtpRecipientResult> Recipients { get; } = recipients;

    /// <summary>
    /// Delivered when every recipient was; TransientFailure when any recipient may still be delivered
    /// by a later attempt; PermanentFailure otherwise. The per-recipient results are authoritative.
    /// </summary>
    public SmtpDeliveryStatus Status =>
        Recipients.All(r => r.Status == SmtpDeliveryStatus.Delivered) ? SmtpDeliveryStatus.Delivered
        : Recipients.Any(r => r.Status == SmtpDeliveryStatus.TransientFailure) ? SmtpDeliveryStatus.TransientFailure
        : SmtpDeliveryStatus.PermanentFailure;

    public bool IsDelivered => Status == SmtpDeliveryStatus.Delivered;

    public override string ToString() => string.Join("; ", Recipients);
}
