namespace Converge.Interworking.Email;

/// <summary>Whether a DNS answer can be relied on: a name error is final, a failure is worth retrying later.</summary>
internal enum DnsLookupStatus
{
    /// <summary>An answer (possibly with no records of the type asked for).</summary>
    Ok,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NameError,

    /// <summary>No usable answer: timeouts, SERVFAIL, REFUSED, malformed responses.</summary>
    Failure,
}
