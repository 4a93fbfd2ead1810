using System.Globalization;

namespace Converge.Interworking.Email;

/// <summary>The listener's own replies, with RFC 3463 enhanced status codes.</summary>
internal static class SmtpReplies
{
    public static readonly SmtpReply Bye = new(221, "2.0.0 Bye");
    public static readonly SmtpReply Ok = new(250, "2.0.0 OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0 Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5 Recipient OK");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
    public static readonly SmtpReply StartData = new(354, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply ReadyForTls = new(220, "2.0.0 Ready to start TLS");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2 Line too long");
    public static readonly SmtpReply BareLineFeed = new(500, "5.5.2 Bare LF: command lines must end with CRLF");
    public static readonly SmtpReply Unrecognized = new(500, "5.5.2 Command unrecognized");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1 Command not implemented");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1 Bad sequence of commands");
    public static readonly SmtpReply HelloFirst = new(503, "5.5.1 Send EHLO or HELO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1 Sender already given");
    public static readonly SmtpReply MailFirst = new(503, "5.5.1 Send MAIL first");
    public static readonly SmtpReply TlsNotAvailable = new(502, "5.5.1 STARTTLS not available");
    public static readonly SmtpReply TlsActive = new(503, "5.5.1 TLS already active");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1 No valid recipients");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3 Too many recipients");
    public static readonly SmtpReply ParameterNotRecognized = new(555, "5.5.4 MAIL FROM/RCPT TO parameter not recognized or not implemented");
    public static readonly SmtpReply MessageHasBareLineFeed = new(554, "5.6.0 Message refused: bare LF line ending (CRLF required)");
    public static readonly SmtpReply NotConfigured = new(451, "4.3.5 Not configured to accept mail now");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0 Too many errors, closing connection");

    /// <summary>RFC 5321 §4.2.2 / RFC 3463 X.3.1: the store is full now; the client keeps the mail and tries again later.</summary>
    public static readonly SmtpReply InsufficientStorage = new(452, "4.3.1 Insufficient system storage");

    public static SmtpReply Syntax(string detail) => new(501, $"5.5.4 Syntax error: {detail}");

    public static SmtpReply BadAddress(string enhanced, string detail) => new(501, $"{enhanced} {detail}");

    public static SmtpReply Greeting(string host) => new(220, $"{host} ESMTP Converge");

    public static SmtpReply Timeout(string host) => new(421, $"4.4.2 {host} Timeout, closing connection");

    public static SmtpReply ShuttingDown(string host) => new(421, $"4.3.2 {host} Service shutting down");

    public static SmtpReply TooManyFromAddress(string host) => new(421, $"4.7.0 {host} Too many connections from your address, try again later");

    public static SmtpReply TooManyCommands(string host) => new(421, $"4.7.0 {host} Too many commands, closing connection");

    public static SmtpReply LifetimeOver(string host) => new(421, $"4.4.2 {host} Session too long, closing connection");

    public static SmtpReply TooManySessions(string host) => new(421, $"4.3.2 {host} Too many connections, try again later");

    public static SmtpReply MessageTooBig(long limit) =>
        new(552, string.Create(CultureInfo.InvariantCulture, $"5.3.4 Message size exceeds fixed maximum message size of {limit} bytes"));

    public static SmtpReply MessageLineTooLong(int limit) =>
        new(554, string.Create(CultureInfo.InvariantCulture, $"5.6.0 Message refused: a line longer than {limit} bytes"));
}
