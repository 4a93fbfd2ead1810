namespace Converge.Interworking.Email;

/// <summary>Where a domain's mail goes: hosts in order, or why there are none.</summary>
internal sealed record MailRoute(IReadOnlyList<MailHost> Hosts, SmtpDeliveryStatus FailureStatus = SmtpDeliveryStatus.TransientFailure, string? Failure = null)
{
    public static MailRoute Unreachable(SmtpDeliveryStatus status, string reason) => new([], status, reason);
}
