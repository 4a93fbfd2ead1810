using System.Net;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Email;

/// <summary>The listener's log events (ids 2500-2529; the hardening limits 4510-4519). Addresses are logged; message content never is.</summary>
internal static partial class SmtpListenerLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "SMTP listener on {Endpoint} as {Hostname}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string hostname);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Debug, Message = "SMTP session {Session} from {Remote}")]
    public static partial void SessionStarted(ILogger logger, string session, IPEndPoint? remote);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Debug, Message = "SMTP session {Session} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string session, string reason);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "SMTP session {Session}: message {Transaction} for {Recipients} recipient(s), {Bytes} bytes, answered {Code}")]
    public static partial void MessageReceived(ILogger logger, string session, string transaction, int recipients, int bytes, int code);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Information, Message = "SMTP session {Session}: message refused ({Reason}), {Bytes} bytes")]
    public static partial void MessageRefused(ILogger logger, string session, string reason, long bytes);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Debug, Message = "SMTP session {Session}: recipient {Recipient} refused with {Code}")]
    public static partial void RecipientRefused(ILogger logger, string session, string recipient, int code);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Error, Message = "SMTP session {Session}: the {Hook} hook failed")]
    public static partial void HookFailed(ILogger logger, string session, string hook, Exception exception);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Information, Message = "SMTP session {Session}: TLS handshake failed")]
    public static partial void TlsFailed(ILogger logger, string session, Exception exception);

    [LoggerMessage(EventId = 2508, Level = LogLevel.Debug, Message = "SMTP session {Session}: TLS established")]
    public static partial void TlsEstablished(ILogger logger, string session);

    [LoggerMessage(EventId = 2509, Level = LogLevel.Error, Message = "SMTP session {Session} failed unexpectedly")]
    public static partial void SessionFailed(ILogger logger, string session, Exception exception);

    [LoggerMessage(EventId = 2510, Level = LogLevel.Information, Message = "SMTP session {Session} from {Remote} closed after too many errors")]
    public static partial void TooManyErrors(ILogger logger, string session, IPEndPoint? remote);

    [LoggerMessage(EventId = 2511, Level = LogLevel.Warning, Message = "SMTP connection from {Remote} refused: {Sessions} sessions open")]
    public static partial void TooManySessions(ILogger logger, IPEndPoint? remote, int sessions);

    [LoggerMessage(EventId = 4510, Level = LogLevel.Warning, Message = "SMTP connection from {Remote} refused: already {Max} sessions from there")]
    public static partial void TooManyFromAddress(ILogger logger, IPEndPoint? remote, int max);

    [LoggerMessage(EventId = 4511, Level = LogLevel.Information, Message = "SMTP session {Session} from {Remote} closed: {Reason}")]
    public static partial void LimitReached(ILogger logger, string session, IPEndPoint? remote, string reason);

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "SMTP session {Session}: {Command} answered 452 4.3.1, storage full ({Reason}); one line per 100 refusals")]
    public static partial void StorageFull(ILogger logger, string session, string command, string reason);
}
