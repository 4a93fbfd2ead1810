namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// One received short message, UDH removed: addresses as presented to the user (+E164 where
/// international), its place in a concatenated message if any, and the still-encoded text octets.
/// </summary>
internal sealed record SmsPart(string Source, string Destination, ConcatenationInfo? Concatenation, byte DataCoding, ReadOnlyMemory<byte> Payload);
