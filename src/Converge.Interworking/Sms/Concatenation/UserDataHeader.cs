namespace Converge.Interworking.Sms.Concatenation;

/// <summary>The User Data Header at the start of user data when esm_class has UDHI (TS 23.040 §9.2.3.24).</summary>
internal static class UserDataHeader
{
    public const byte Concatenation8BitIei = 0x00;
    public const byte Concatenation16BitIei = 0x08;

    /// <summary>UDHL + IEI 0x00 element (IEI, IEDL, reference, total, sequence).</summary>
    public const int Concatenation8BitLength = 6;

    /// <summary>UDHL + IEI 0x08 element (IEI, IEDL, reference high, reference low, total, sequence).</summary>
    public const int Concatenation16BitLength = 7;

    /// <summary>Splits user data into header (UDHL octet included) and the rest; false when the UDHL overruns.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> userData, out ReadOnlySpan<byte> header, out ReadOnlySpan<byte> rest)
    {
        header = default;
        rest = userData;
        if (userData.IsEmpty || userData[0] + 1 > userData.Length)
        {
            return false;
        }

        header = userData[..(userData[0] + 1)];
        rest = userData[(userData[0] + 1)..];
        return true;
    }

    /// <summary>The concatenation element of a header (UDHL octet included), if it has a valid one.</summary>
    public static ConcatenationInfo? FindConcatenation(ReadOnlySpan<byte> header)
    {
        ConcatenationInfo? found = null;
        var elements = header[1..];
        while (elements.Length >= 2)
        {
            var iei = elements[0];
            var length = elements[1];
            if (length + 2 > elements.Length)
            {
                break;
            }

            var data = elements.Slice(2, length);
            ConcatenationInfo? candidate = iei switch
            {
                Concatenation8BitIei when length == 3 => new ConcatenationInfo(data[0], data[1], data[2], ConcatenationSource.Udh8),
                Concatenation16BitIei when length == 4 => new ConcatenationInfo((data[0] << 8) | data[1], data[2], data[3], ConcatenationSource.Udh16),
                _ => null,
            };
            // TS 23.040: where an element repeats, the last occurrence counts.
            if (candidate is { IsValid: true })
            {
                found = candidate;
            }

            elements = elements[(length + 2)..];
        }

        return found;
    }

    public static void WriteConcatenation8(Span<byte> destination, byte reference, byte total, byte sequence)
    {
        destination[0] = 5;
        destination[1] = Concatenation8BitIei;
        destination[2] = 3;
        destination[3] = reference;
        destination[4] = total;
        destination[5] = sequence;
    }

    public static void WriteConcatenation16(Span<byte> destination, ushort reference, byte total, byte sequence)
    {
        destination[0] = 6;
        destination[1] = Concatenation16BitIei;
        destination[2] = 4;
        destination[3] = (byte)(reference >> 8);
        destination[4] = (byte)reference;
        destination[5] = total;
        destination[6] = sequence;
    }
}
