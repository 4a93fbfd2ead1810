namespace Converge.Interworking.Sms;

/// <summary>
/// A delivery report for a submitted part. <paramref name="MessageId"/> is the id as
/// <see cref="SubmitResult.MessageIds"/> gave it (hex and decimal renderings are matched);
/// <paramref name="State"/> is what the receipt reports (a word no state spells is
/// <see cref="DeliveryState.Unknown"/>). Source and destination are as in the receipt PDU: the recipient's
/// number, then the original sender.
/// </summary>
public sealed record DeliveryReceipt(string MessageId, DeliveryState State, string Source, string Destination);
