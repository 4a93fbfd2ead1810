namespace Converge.Core.Addressing;

/// <summary>
/// The country calling code an E.164 number starts with (ITU-T E.164 assignments): 1 and 7 are
/// one digit, a fixed set is two, every other code three. Used to find a provider's home country
/// from its number ranges.
/// </summary>
public static class E164CountryCode
{
    private static readonly HashSet<string> TwoDigits =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ];

    /// <summary>The code without '+' ("49" for +4940…), or null when fewer digits than the code needs are given.</summary>
    public static string? Of(string numberOrPrefix)
    {
        var digits = numberOrPrefix.StartsWith('+') ? numberOrPrefix[1..] : numberOrPrefix;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || digits[0] == '0')
        {
            return null;
        }

        if (digits[0] is '1' or '7')
        {
            return digits[..1];
        }

        if (digits.Length >= 2 && TwoDigits.Contains(digits[..2]))
        {
            return digits[..2];
        }

        return digits.Length >= 3 ? digits[..3] : null;
    }
}
