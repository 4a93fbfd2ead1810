namespace Converge.Interworking.Sms;

/// <summary>
/// A mobile-terminated SMS to submit. <paramref name="Source"/> is "+E164" (or an alphanumeric
/// sender of up to 11 characters); <paramref name="Destination"/> is "+E164". A submission resumed
/// after a crash gives the <paramref name="Reference"/> its parts were cut with and the ids of the
/// parts the SMSC already acknowledged (<paramref name="Acknowledged"/>, by 1-based part number):
/// those are not submitted again. <paramref name="Journal"/> hears of each part before it is
/// written and once it is acknowledged.
/// </summary>
public sealed record OutboundSms(
    string Source, string Destination, string Text, bool RequestDeliveryReceipt = true,
    int? Reference = null, IReadOnlyDictionary<int, string>? Acknowledged = null, ISmsPartJournal? Journal = null);
