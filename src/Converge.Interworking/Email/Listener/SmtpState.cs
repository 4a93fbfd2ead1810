namespace Converge.Interworking.Email;

/// <summary>The states of an inbound SMTP session (RFC 5321 §4.1.4 command ordering).</summary>
internal enum SmtpState
{
    /// <summary>Greeted, or just after STARTTLS: EHLO or HELO is needed first.</summary>
    Connected,

    /// <summary>EHLO/HELO done, no transaction.</summary>
    Identified,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    MailFrom,

    /// <summary>At least one RCPT accepted: DATA may follow.</summary>
    Recipients,
}
