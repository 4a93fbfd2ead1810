using Converge.Core.Addressing;

namespace Converge.Interworking.Sms;

/// <summary>
/// Addresses between their "+E164" form here and SMPP's TON/NPI/digits: an international number
/// is TON 1 (international), NPI 1 (ISDN/E.164) and its digits without '+'.
/// </summary>
internal readonly record struct SmsAddress(byte Ton, byte Npi, string Digits)
{
    public const byte TonUnknown = 0;
    public const byte TonInternational = 1;
    public const byte TonNational = 2;
    public const byte TonNetworkSpecific = 3;
    public const byte TonAlphanumeric = 5;
    public const byte TonAbbreviated = 6;
    public const byte NpiUnknown = 0;
    public const byte NpiE164 = 1;

    private const int MaxAlphanumericSender = 11;

    public static SmsAddress ForDestination(string number) =>
        E164.IsE164Localpart(number)
            ? new SmsAddress(TonInternational, NpiE164, number[1..])
            : throw new ArgumentException($"SMS destination \"{number}\" is not an international number (+ and 2 to 15 digits).", nameof(number));

    /// <summary>A +E164 number, or an alphanumeric sender name as operators allow them (up to 11 characters).</summary>
    public static SmsAddress ForSource(string sender)
    {
        if (E164.IsE164Localpart(sender))
        {
            return new SmsAddress(TonInternational, NpiE164, sender[1..]);
        }

        if (sender.Length is > 0 and <= MaxAlphanumericSender && !sender.StartsWith('+') && sender.All(c => char.IsAsciiLetterOrDigit(c) || c == ' '))
        {
            return new SmsAddress(TonAlphanumeric, NpiUnknown, sender);
        }

        throw new ArgumentException($"SMS source \"{sender}\" is neither an international number (+E164) nor an alphanumeric sender of up to {MaxAlphanumericSender} letters and digits.", nameof(sender));
    }
}
