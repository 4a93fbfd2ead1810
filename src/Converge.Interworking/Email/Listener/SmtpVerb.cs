namespace Converge.Interworking.Email;

/// <summary>The commands the listener implements.</summary>
internal enum SmtpVerb
{
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    StartTls,
}
