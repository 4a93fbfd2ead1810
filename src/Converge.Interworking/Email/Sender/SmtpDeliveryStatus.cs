namespace Converge.Interworking.Email;

/// <summary>What became of a mail for a recipient.</summary>
public enum SmtpDeliveryStatus
{
    /// <summary>The receiving server took responsibility (250 to the final dot).</summary>
    Delivered,

    /// <summary>A 4xx reply, or no usable reply (connection refused, timeout, DNS failure): try again later.</summary>
    TransientFailure,

    /// <summary>A 5xx reply, or a domain that cannot receive mail: do not try again.</summary>
    PermanentFailure,
}
