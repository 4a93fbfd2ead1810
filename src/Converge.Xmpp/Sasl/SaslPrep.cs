using System.Text;

namespace Converge.Xmpp.Sasl;

/// <summary>
/// SASLprep (RFC 4013) without normalization: non-ASCII spaces become U+0020, the characters
/// "commonly mapped to nothing" are dropped, and prohibited characters are refused.
/// </summary>
/// <remarks>
/// Skipped on purpose: NFKC, because the server runs with invariant globalization where
/// <see cref="string.Normalize()"/> is a silent no-op, and a credential must not depend on how the
/// process was configured when it was derived; the bidirectional rule (RFC 3454 §6) and the
/// unassigned-code-point check, which need Unicode tables. ASCII passwords are unaffected by all three.
/// </remarks>
internal static class SaslPrep
{
    /// <summary>The prepared string, or null when <paramref name="value"/> holds a prohibited or ill-formed character.</summary>
    public static string? Prepare(string value)
    {
        if (Ascii.IsValid(value) && !value.AsSpan().ContainsAnyInRange('\0', '\u001f') && !value.Contains('\u007f', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return null; // a lone surrogate (RFC 3454 C.5)
            }

            rest = rest[consumed..];
            var c = rune.Value;
            if (IsNonAsciiSpace(c))
            {
                result.Append(' ');
            }
            else if (IsMappedToNothing(c))
            {
                continue;
            }
            else if (IsProhibited(c))
            {
                return null;
            }
            else
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    // RFC 3454 C.1.2
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 3454 B.1
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D)
            or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 4013 §2.3 prohibits RFC 3454 C.2.1 to C.9.
    private static bool IsProhibited(int c) =>
        IsControl(c) || IsPrivateUse(c) || IsNonCharacter(c) || IsSurrogate(c)
            || IsInappropriateForText(c) || IsChangingDisplay(c) || IsTag(c);

    // C.2.1, C.2.2
    private static bool IsControl(int c) =>
        c is < 0x20 or 0x7F or (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D
            or 0x2028 or 0x2029 or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF
            or (>= 0xFFF9 and <= 0xFFFC) or (>= 0x1D173 and <= 0x1D17A);

    // C.3
    private static bool IsPrivateUse(int c) =>
        c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD);

    // C.4: U+FDD0..U+FDEF and the last two code points of every plane.
    private static bool IsNonCharacter(int c) => c is >= 0xFDD0 and <= 0xFDEF || (c & 0xFFFE) == 0xFFFE;

    // C.5
    private static bool IsSurrogate(int c) => c is >= 0xD800 and <= 0xDFFF;

    // C.6, C.7
    private static bool IsInappropriateForText(int c) => c is (>= 0xFFF9 and <= 0xFFFD) or (>= 0x2FF0 and <= 0x2FFB);

    // C.8
    private static bool IsChangingDisplay(int c) =>
        c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x206A and <= 0x206F);

    // C.9
    private static bool IsTag(int c) => c is 0xE0001 or (>= 0xE0020 and <= 0xE007F);
}
