using System.Net;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Email;

/// <summary>The sender's log events (ids 2530-2549).</summary>
internal static partial class SmtpSenderLog
{
    [LoggerMessage(EventId = 2530, Level = LogLevel.Information, Message = "Mail from <{From}> to {Recipients} recipient(s) delivered to {Host}: {Reply}")]
    public static partial void Delivered(ILogger logger, string from, int recipients, string host, string reply);

    [LoggerMessage(EventId = 2531, Level = LogLevel.Information, Message = "Mail to <{Recipient}> not delivered ({Status}): {Reply}")]
    public static partial void NotDelivered(ILogger logger, string recipient, SmtpDeliveryStatus status, string reply);

    [LoggerMessage(EventId = 2532, Level = LogLevel.Debug, Message = "SMTP host {Host} ({Endpoint}) not usable: {Reason}")]
    public static partial void HostFailed(ILogger logger, string host, IPEndPoint endpoint, string reason);

    [LoggerMessage(EventId = 2533, Level = LogLevel.Warning, Message = "TLS with {Host} failed; sending without TLS")]
    public static partial void TlsFallback(ILogger logger, string host, Exception exception);

    [LoggerMessage(EventId = 2534, Level = LogLevel.Information, Message = "No route for mail to {Domain}: {Reason}")]
    public static partial void NoRoute(ILogger logger, string domain, string reason);
}
