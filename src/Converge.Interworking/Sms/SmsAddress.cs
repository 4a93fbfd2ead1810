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

    /// <summary>Fewest digits a TON-unknown number needs to be taken as international rather than a short code.</summary>
    private const int MinInternationalDigits = 8;

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

    /// <summary>
    /// How an address the SMSC gave is shown: "+digits" for an international number, and for a
    /// TON-unknown number of at least 8 digits too (many SMSCs leave TON unknown; short codes are shorter);
    /// "00…" becomes "+…"; anything else (national numbers, alphanumeric senders) as given.
    /// </summary>
    public static string ToDisplay(byte ton, string address)
    {
        var value = address.Trim();
        if (value.StartsWith('+') || value.Length == 0)
        {
            return value;
        }

        var allDigits = value.All(char.IsAsciiDigit);
        if (ton == TonInternational && allDigits)
        {
            return "+" + value;
        }

        if (ton == TonUnknown && allDigits)
        {
            if (value.StartsWith("00", StringComparison.Ordinal) && value.Length > 2)
            {
                return "+" + value[2..];
            }

            if (value.Length >= MinInternationalDigits)
            {
                return "+" + value;
            }
        }

        return value;
    }
}
