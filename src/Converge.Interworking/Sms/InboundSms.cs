namespace Converge.Interworking.Sms;

/// <summary>
/// A mobile-originated SMS, reassembled when it came in parts. <paramref name="Source"/> is the
/// sender's JID localpart as <see cref="SmsSenderAddress"/> made it: "+E164" or "name\40sms".
/// <paramref name="Destination"/> is "+E164" when it is a number. <paramref name="Received"/> is when its first part came.
/// </summary>
public sealed record InboundSms(string Source, string Destination, string Text, DateTimeOffset Received);
