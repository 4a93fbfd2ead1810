using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Sms.Esme;

/// <summary>SMPP log events, 2000-2099. The bind password never appears in any of them.</summary>
internal static partial class SmppLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "SMPP bind {Bind} to {Host}:{Port} as {SystemId} bound (SMSC {SmscSystemId})")]
    public static partial void Bound(ILogger logger, int bind, string host, int port, string systemId, string smscSystemId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "SMPP bind {Bind} to {Host}:{Port} failed; retrying in {Delay}")]
    public static partial void BindFailed(ILogger logger, int bind, string host, int port, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "SMPP bind {Bind} refused by the SMSC with command_status {Status}; retrying in {Delay}")]
    public static partial void BindRefused(ILogger logger, int bind, string status, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "SMPP bind {Bind} lost: {Reason}")]
    public static partial void BindLost(ILogger logger, int bind, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "SMPP bind {Bind} unbound")]
    public static partial void Unbound(ILogger logger, int bind);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "SMPP bind {Bind}: framing error, the bind ends: {Reason}")]
    public static partial void FramingError(ILogger logger, int bind, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "SMPP bind {Bind}: malformed {CommandId} (sequence {Sequence}) answered with generic_nack {Status}: {Reason}")]
    public static partial void MalformedPdu(ILogger logger, int bind, string commandId, uint sequence, string status, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "SMPP bind {Bind}: {CommandId} not allowed while {State}; answered with generic_nack")]
    public static partial void NotAllowed(ILogger logger, int bind, string commandId, string state);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "SMPP bind {Bind}: response {CommandId} (sequence {Sequence}) matches no request")]
    public static partial void UnmatchedResponse(ILogger logger, int bind, string commandId, uint sequence);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "SMPP bind {Bind}: no enquire_link_resp within {Timeout}; the bind is dropped")]
    public static partial void EnquireLinkTimeout(ILogger logger, int bind, TimeSpan timeout);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "SMPP bind {Bind}: the SMSC unbinds")]
    public static partial void SmscUnbinds(ILogger logger, int bind);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Debug, Message = "SMS to {Destination} submitted: part {Part}/{Parts} {Encoding}, message id {MessageId}")]
    public static partial void PartSubmitted(ILogger logger, string destination, int part, int parts, string encoding, string messageId);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "SMS to {Destination} refused at part {Part}/{Parts}: {Reason}")]
    public static partial void SubmitRefused(ILogger logger, string destination, int part, int parts, string reason);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Debug, Message = "SMS from {Source} to {Destination} received ({Length} characters)")]
    public static partial void MessageReceived(ILogger logger, string source, string destination, int length);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "SMS from {Source} to {Destination} delivered with {Missing} of its parts missing after waiting for them")]
    public static partial void IncompleteMessage(ILogger logger, string source, string destination, int missing);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "The handler refused an SMS from {Source}; the SMSC is asked to deliver it again")]
    public static partial void MessageHandlerFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "No OnMessage handler: an SMS from {Source} is refused for now")]
    public static partial void NoMessageHandler(ILogger logger, string source);

    [LoggerMessage(EventId = 2034, Level = LogLevel.Debug, Message = "Delivery receipt for {MessageId}: {State}")]
    public static partial void ReceiptReceived(ILogger logger, string messageId, string state);

    [LoggerMessage(EventId = 2035, Level = LogLevel.Warning, Message = "A delivery receipt from {Source} names no message id; it is acknowledged and dropped")]
    public static partial void UnreadableReceipt(ILogger logger, string source);

    [LoggerMessage(EventId = 2036, Level = LogLevel.Warning, Message = "The receipt handler failed for {MessageId}; the SMSC is asked to deliver it again")]
    public static partial void ReceiptHandlerFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 2037, Level = LogLevel.Error, Message = "An incomplete SMS from {Source} could not be handed over and is dropped: the retry list is full")]
    public static partial void IncompleteMessageDropped(ILogger logger, string source);

    [LoggerMessage(EventId = 2038, Level = LogLevel.Warning, Message = "SMS from source address \"{Source}\" (TON {Ton}) to {Destination} refused with ESME_RINVSRCADR: {Reason}")]
    public static partial void SenderRefused(ILogger logger, string source, byte ton, string destination, string reason);

    [LoggerMessage(EventId = 4560, Level = LogLevel.Warning, Message = "SMS from {Source} refused with ESME_RINVESMCLASS: its user data header is malformed or leaves no text ({Octets} octets)")]
    public static partial void MalformedUserDataHeader(ILogger logger, string source, int octets);

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "SMPP bind {Bind} to {Host}:{Port}: TLS ({Protocol}) established, certificate valid for {ServerName}")]
    public static partial void TlsEstablished(ILogger logger, int bind, string host, int port, string protocol, string serverName);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Error, Message = "SMPP bind {Bind} to {Host}:{Port}: the SMSC's TLS certificate is refused, nothing is sent: {Reason}")]
    public static partial void TlsCertificateRefused(ILogger logger, int bind, string host, int port, string reason);

    [LoggerMessage(EventId = 5320, Level = LogLevel.Warning, Message = "SMS from {Source} answered ESME_RX_T_APPN, storage full ({Reason}): the SMSC delivers it again later; one line per 100 refusals")]
    public static partial void StorageFull(ILogger logger, string source, string reason);
}
