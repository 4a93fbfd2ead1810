using System.Net;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Federation;

/// <summary>The server-to-server layer's log events (ids 700-749; 5200-5249 for the negotiation tables); keys and secrets never appear.</summary>
internal static partial class FederationLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Outbound link to {Domain} is up via {Endpoint} ({Authentication})")]
    public static partial void OutboundUp(ILogger logger, string domain, string endpoint, string authentication);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Outbound link to {Domain} failed ({Condition}): {Reason}; {Count} stanzas bounced")]
    public static partial void OutboundFailed(ILogger logger, string domain, string condition, string reason, int count);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Outbound link to {Domain} closed: {Reason}")]
    public static partial void OutboundClosed(ILogger logger, string domain, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "{Domain} closed our outbound link with stream error {Condition}: {Text}")]
    public static partial void OutboundStreamError(ILogger logger, string domain, string condition, string text);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug, Message = "Connecting to {Domain} at {Endpoint} failed: {Reason}")]
    public static partial void ConnectAttemptFailed(ILogger logger, string domain, string endpoint, string reason);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Inbound link from {Address} authenticated {Domain} ({Authentication})")]
    public static partial void InboundAuthenticated(ILogger logger, EndPoint? address, string domain, string authentication);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Inbound link from {Address} ({Domain}) closed with stream error {Condition}: {Text}")]
    public static partial void InboundStreamError(ILogger logger, EndPoint? address, string domain, string condition, string text);

    [LoggerMessage(EventId = 712, Level = LogLevel.Debug, Message = "Inbound link from {Address} ({Domain}) ended: {Reason}")]
    public static partial void InboundEnded(ILogger logger, EndPoint? address, string domain, string reason);

    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "Inbound link from {Address} in state {State}: {Element} -> {Action}")]
    public static partial void InboundStep(ILogger logger, EndPoint? address, Negotiation.InboundLinkState state, Negotiation.InboundElement element, Negotiation.InboundAction action);

    [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "Refused an inbound connection from {Address}: {Reason}")]
    public static partial void InboundRefused(ILogger logger, EndPoint? address, string reason);

    [LoggerMessage(EventId = 714, Level = LogLevel.Trace, Message = "Received <{Name} type='{Type}'/> from {From} for {To}")]
    public static partial void StanzaReceived(ILogger logger, string name, string? type, string from, string to);

    [LoggerMessage(EventId = 704, Level = LogLevel.Trace, Message = "Queued <{Name} type='{Type}'/> from {From} for {To}")]
    public static partial void StanzaQueued(ILogger logger, string name, string? type, string? from, string to);

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Dialback for {Domain}: the authoritative server says {Outcome}")]
    public static partial void DialbackVerified(ILogger logger, string domain, string outcome);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Dialback for {Domain} could not be verified: {Reason}")]
    public static partial void DialbackUnverifiable(ILogger logger, string domain, string reason);

    [LoggerMessage(EventId = 722, Level = LogLevel.Debug, Message = "Answered a dialback verification from {Domain}: {Outcome}")]
    public static partial void DialbackAnswered(ILogger logger, string domain, string outcome);

    [LoggerMessage(EventId = 740, Level = LogLevel.Information, Message = "Dropped <{Name} type='{Type}'/> from {From} for {To}: the sender is not in a domain this server serves")]
    public static partial void ForeignSenderDropped(ILogger logger, string name, string? type, string from, string to);

    [LoggerMessage(EventId = 741, Level = LogLevel.Debug, Message = "Dropped <{Name} type='{Type}' id='{Id}'/> from {From} for {To}: it answers no request sent to {Domain}")]
    public static partial void UnsolicitedReplyIn(ILogger logger, string name, string? type, string? id, string from, string to, string domain);

    [LoggerMessage(EventId = 742, Level = LogLevel.Debug, Message = "Dropped <{Name} type='{Type}' id='{Id}'/> from {From} for {To}: it answers no request received from {Domain}")]
    public static partial void UnsolicitedReplyOut(ILogger logger, string name, string? type, string? id, string from, string to, string domain);

    [LoggerMessage(EventId = 730, Level = LogLevel.Error, Message = "Routing a stanza from {Domain} failed")]
    public static partial void RoutingFailed(ILogger logger, string domain, Exception exception);

    [LoggerMessage(EventId = 731, Level = LogLevel.Error, Message = "A server-to-server link failed unexpectedly")]
    public static partial void LinkCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 732, Level = LogLevel.Debug, Message = "A server-to-server link ended by the peer: {Reason}")]
    public static partial void LinkReset(ILogger logger, string reason);
}
