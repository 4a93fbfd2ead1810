using System.Diagnostics.CodeAnalysis;

namespace Converge.Core.Addressing;

/// <summary>
/// International telephone numbers (ITU-T E.164) in the form used as JID localparts here:
/// "+" then 2 to 15 digits, the first not 0 (country codes never start with 0).
/// </summary>
public static class E164
{
    private const int MaxDigits = 15;
    private const int MinDigits = 2;

    /// <summary>
    /// Accepts a number as people write it ("+49 151 1234-5678", "(+1) 555 123 4567",
    /// "0049 151 12345678", "+44 (0)20 7946 0018") and returns its canonical "+digits" form.
    /// A number without "+" or "00" is national and cannot be normalised without a home country.
    /// </summary>
    public static bool TryNormalize([NotNullWhen(true)] string? text, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        // "(0)" marks the trunk prefix dialled only inside the country; it is not part of the number.
        var compact = text.Replace("(0)", "", StringComparison.Ordinal);
        // Room for the "00" international prefix in front of the longest number.
        Span<char> digits = stackalloc char[MaxDigits + 2];
        var count = 0;
        var international = false;
        foreach (var c in compact)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = c;
            }
            else if (c == '+')
            {
                // Only as the very first significant character.
                if (international || count > 0)
                {
                    return false;
                }

                international = true;
            }
            else if (!IsSeparator(c))
            {
                return false;
            }
        }

        var body = digits[..count];
        if (!international)
        {
            if (count < 2 || body[0] != '0' || body[1] != '0')
            {
                return false;
            }

            body = body[2..];
        }

        if (body.Length < MinDigits || body.Length > MaxDigits || body[0] == '0')
        {
            return false;
        }

        normalized = string.Concat("+", body);
        return true;
    }

    /// <summary>Whether a JID localpart is a canonical E.164 number ("+4915112345678@a.example").</summary>
    public static bool IsE164Localpart([NotNullWhen(true)] string? local)
    {
        if (local is null || local.Length < MinDigits + 1 || local.Length > MaxDigits + 1 || local[0] != '+' || local[1] == '0')
        {
            return false;
        }

        foreach (var c in local.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSeparator(char c) => c is ' ' or '\u00A0' or '\t' or '-' or '(' or ')' or '.' or '/';
}
