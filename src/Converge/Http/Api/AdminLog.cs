using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary>
/// Every change made through the admin API, with who made it (a token's name or an account, never a
/// token's secret). Event ids 4300-4306 and 4313.
/// </summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Admin API: {Operator} added user {Jid}")]
    public static partial void UserAdded(ILogger logger, string @operator, string jid);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Admin API: {Operator} changed user {Jid} ({Fields})")]
    public static partial void UserChanged(ILogger logger, string @operator, string jid, string fields);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Admin API: {Operator} removed user {Jid}")]
    public static partial void UserRemoved(ILogger logger, string @operator, string jid);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Admin API: {Operator} ended {Count} sessions of {Jid}")]
    public static partial void SessionsKicked(ILogger logger, string @operator, string jid, int count);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Admin API: {Operator} reloaded the agreements")]
    public static partial void AgreementsReloaded(ILogger logger, string @operator);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information, Message = "Admin API: {Operator} retried outbox lane {Lane} ({Count} items made due)")]
    public static partial void LaneRetried(ILogger logger, string @operator, string lane, int count);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "Admin API: {Operator} dropped outbox lane {Lane} ({Count} items discarded)")]
    public static partial void LaneDropped(ILogger logger, string @operator, string lane, int count);

    [LoggerMessage(EventId = 4313, Level = LogLevel.Information, Message = "Admin API: {Operator} ran archive retention ({Deleted} archived messages removed)")]
    public static partial void RetentionRun(ILogger logger, string @operator, int deleted);
}
