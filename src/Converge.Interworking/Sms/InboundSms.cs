namespace Converge.Interworking.Sms;

/// <summary>
/// A mobile-originated SMS, reassembled when it came in parts. Addresses are "+E164" when the
/// SMSC gave them as international numbers. <paramref name="Received"/> is when its first part came.
/// </summary>
public sealed record InboundSms(string Source, string Destination, string Text, DateTimeOffset Received);
