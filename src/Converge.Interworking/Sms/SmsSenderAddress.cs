using System.Diagnostics.CodeAnalysis;
using System.Text;
using Converge.Core.Addressing;

namespace Converge.Interworking.Sms;

/// <summary>
/// Who an inbound SMS may say it is from (DESIGN.md, "Trust boundaries"): the source address of a
/// deliver_sm becomes the localpart of a legacy JID in our domain, and only in one of two forms that
/// no account and no remote user can have:
/// <list type="bullet">
/// <item>a number: <c>+E164</c>, from TON international, from TON national normalised with the
/// configured country code, or from TON unknown written internationally ("+…", "00…", 8 digits or more);</item>
/// <item>a name (alphanumeric sender, short code): <c>name\40sms</c>, which reads "name@sms" and is no
/// mail address ("sms" has no dot, see <see cref="EscapedEmail.IsRoutableAddress"/>).</item>
/// </list>
/// Anything else (an '@', a '/', a '+' that is no number, more than 11 characters, characters outside
/// a small GSM-safe set, a national number with no country code configured) is refused.
/// </summary>
/// <param name="countryCode">Country calling code ("49") that national numbers belong to; null refuses national numbers.</param>
/// <param name="nationalPrefix">Trunk prefix dialled before national numbers ("0"), removed before the country code is put in front.</param>
internal sealed class SmsSenderAddress(string? countryCode = null, string nationalPrefix = "0")
{
    /// <summary>The domain-like suffix that marks a name sender: "MyBank" becomes mybank\40sms.</summary>
    public const string NameSuffix = SmsSenderName.Suffix;

    /// <summary>Fewest digits a TON-unknown number needs to be taken as international rather than a short code.</summary>
    private const int MinInternationalDigits = 8;

    private const int MaxName = SmsSenderName.MaxLength;

    /// <summary>
    /// The sender's JID localpart for a deliver_sm source address, or false with the reason it is refused.
    /// </summary>
    public bool TryGetLocalpart(byte ton, string address, [NotNullWhen(true)] out string? localpart, [NotNullWhen(false)] out string? reason)
    {
        localpart = null;
        var value = address.Trim(' ');
        if (value.Length == 0)
        {
            reason = "empty source address";
            return false;
        }

        switch (ton)
        {
            case SmsAddress.TonInternational:
                return TryInternational(value.StartsWith('+') ? value[1..] : value, out localpart, out reason);
            case SmsAddress.TonNational:
                return TryNational(value, out localpart, out reason);
            case SmsAddress.TonUnknown when IsNumber(value):
                return TryUnknownNumber(value, out localpart, out reason);
            case SmsAddress.TonUnknown or SmsAddress.TonNetworkSpecific or SmsAddress.TonAbbreviated or SmsAddress.TonAlphanumeric:
                return TryName(value, out localpart, out reason);
            default:
                reason = $"type of number {ton} is not accepted for a sender";
                return false;
        }
    }

    /// <summary>
    /// An address the SMSC gave that names no sender (a destination, the source of a delivery report):
    /// its +E164 form where it is a number by the same rules, else as given.
    /// </summary>
    public string NumberOrAsGiven(byte ton, string address)
    {
        var value = address.Trim(' ');
        return (ton is SmsAddress.TonInternational or SmsAddress.TonNational || (ton == SmsAddress.TonUnknown && IsNumber(value)))
            && TryGetLocalpart(ton, value, out var number, out _) && number.StartsWith('+')
                ? number
                : value;
    }

    /// <summary>Whether a localpart is one of the forms this rule makes (a last check before anything is delivered).</summary>
    public static bool IsSenderLocalpart([NotNullWhen(true)] string? localpart) =>
        E164.IsE164Localpart(localpart) || SmsSenderName.IsLocalpart(localpart);

    private static bool TryInternational(string digits, [NotNullWhen(true)] out string? localpart, [NotNullWhen(false)] out string? reason)
    {
        var number = "+" + digits;
        if (IsNumber(digits) && E164.IsE164Localpart(number))
        {
            localpart = number;
            reason = null;
            return true;
        }

        localpart = null;
        reason = "not an international number (2 to 15 digits, the first not 0)";
        return false;
    }

    private bool TryNational(string value, [NotNullWhen(true)] out string? localpart, [NotNullWhen(false)] out string? reason)
    {
        localpart = null;
        if (!IsNumber(value))
        {
            reason = "a national number must be digits";
            return false;
        }

        if (countryCode is null)
        {
            reason = "a national number, and no country code is configured (Sms.CountryCode) to make it international";
            return false;
        }

        var significant = nationalPrefix.Length > 0 && value.StartsWith(nationalPrefix, StringComparison.Ordinal) ? value[nationalPrefix.Length..] : value;
        return TryInternational(countryCode + significant, out localpart, out reason);
    }

    private bool TryUnknownNumber(string value, [NotNullWhen(true)] out string? localpart, [NotNullWhen(false)] out string? reason)
    {
        if (value.StartsWith('+'))
        {
            return TryInternational(value[1..], out localpart, out reason);
        }

        if (value.StartsWith("00", StringComparison.Ordinal))
        {
            return TryInternational(value[2..], out localpart, out reason);
        }

        if (countryCode is not null && nationalPrefix.Length > 0 && value.StartsWith(nationalPrefix, StringComparison.Ordinal))
        {
            return TryNational(value, out localpart, out reason);
        }

        // Many SMSCs leave the TON unknown on international numbers; short codes are shorter.
        return value.Length >= MinInternationalDigits
            ? TryInternational(value, out localpart, out reason)
            : TryName(value, out localpart, out reason);
    }

    private static bool TryName(string value, [NotNullWhen(true)] out string? localpart, [NotNullWhen(false)] out string? reason)
    {
        if (!SmsSenderName.IsName(value))
        {
            localpart = null;
            reason = $"not a sender name (1 to {MaxName} letters, digits, spaces and . - _ &)";
            return false;
        }

        localpart = SmsSenderName.ToLocalpart(value);
        reason = null;
        return true;
    }

    private static bool IsNumber(string value)
    {
        var digits = value.StartsWith('+') ? value.AsSpan(1) : value.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }
}
