namespace Converge.Interworking.Sms;

/// <summary>
/// A delivery report for a submitted part. <paramref name="MessageId"/> is the id as
/// <see cref="SubmitResult.MessageIds"/> gave it (hex and decimal renderings are matched);
/// <paramref name="State"/> is the SMPP receipt word: DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD,
/// UNKNOWN, REJECTD, ENROUTE. Source and destination are as in the receipt PDU: the recipient's
/// number, then the original sender.
/// </summary>
public sealed record DeliveryReceipt(string MessageId, string State, string Source, string Destination);
