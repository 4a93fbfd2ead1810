namespace Converge.Interworking.Sms;

/// <summary>
/// A mobile-terminated SMS to submit. <paramref name="Source"/> is "+E164" (or an alphanumeric
/// sender of up to 11 characters); <paramref name="Destination"/> is "+E164".
/// </summary>
public sealed record OutboundSms(string Source, string Destination, string Text, bool RequestDeliveryReceipt = true);
