using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Interworking.Email;

/// <summary>The inbound SMTP listener: where it listens, how it names itself, and its limits.</summary>
public sealed class SmtpListenerOptions
{
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Loopback, 2525);

    /// <summary>The name in the greeting, the EHLO reply and the Received: trace field.</summary>
    public string Hostname { get; set; } = "localhost";

    /// <summary>When set, STARTTLS (RFC 3207) is offered with this certificate.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Largest message accepted, in bytes after dot-unstuffing (RFC 1870), advertised with SIZE and enforced on the received bytes.</summary>
    public long MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Longest command line in bytes including CRLF. RFC 5321 §4.5.3.1.4 says 512 plus what extensions
    /// add to MAIL and RCPT; 1000 leaves room for those. Longer lines get 500 and are discarded.
    /// </summary>
    public int MaxLineLength { get; set; } = 1000;

    /// <summary>
    /// Longest line of message data in bytes including CRLF. RFC 5321 §4.5.3.1.6 says 1000; some
    /// mailers write longer HTML lines, so the default tolerates 8 KiB. A message with a longer line is
    /// refused with 554 5.6.0 once its end has been read.
    /// </summary>
    public int MaxDataLineLength { get; set; } = 8192;

    /// <summary>Most recipients of one transaction; more get 452 4.5.3 (RFC 5321 §4.5.3.1.8).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>How long the listener waits for one command line (RFC 5321 §4.5.3.2.7: at least 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the whole of the message data may take, from the 354 to the final dot.</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Erroneous commands tolerated in a session; one more and it is closed with 421.</summary>
    public int MaxErrors { get; set; } = 10;

    /// <summary>Per-address sessions, command budget and session lifetime (<c>Limits.Smtp</c>).</summary>
    public SmtpLimits Limits { get; set; } = new();

    /// <summary>Concurrent sessions; a connection beyond them gets 421 and is closed.</summary>
    public int MaxSessions { get; set; } = 200;

    /// <summary>
    /// False (the default, as Postfix's smtpd_forbid_bare_newline): a command ending in a bare LF gets
    /// 500 and a message containing one is refused with 554, which closes the door to SMTP smuggling.
    /// True: bare LF is accepted and stored as CRLF. Either way only CRLF "." CRLF ends the data.
    /// </summary>
    public bool AllowBareLineFeed { get; set; }
}
