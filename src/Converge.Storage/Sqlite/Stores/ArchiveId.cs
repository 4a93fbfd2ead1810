namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// The text form of an archive row id: 13 lower-case Crockford base32 digits. Fixed width, so ids
/// sort as text the way they sort as numbers; one spelling per id, so a client's id either names
/// exactly one row or none.
/// </summary>
internal static class ArchiveId
{
    public const int Length = 13;

    private const string Digits = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string Format(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        return string.Create(Length, id, static (chars, value) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = Digits[(int)(value & 31)];
                value >>= 5;
            }
        });
    }

    /// <summary>False for anything <see cref="Format"/> cannot have produced.</summary>
    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        if (text is null || text.Length != Length)
        {
            return false;
        }

        ulong value = 0;
        foreach (var c in text)
        {
            var digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 5) | (uint)digit;
        }

        // 13 digits hold 65 bits: a first digit of 8 or more does not fit a long (and overflowed value).
        if (Digits.IndexOf(text[0], StringComparison.Ordinal) >= 8)
        {
            return false;
        }

        id = (long)value;
        return id > 0;
    }
}
