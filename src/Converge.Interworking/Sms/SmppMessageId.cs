using System.Globalization;

namespace Converge.Interworking.Sms;

/// <summary>
/// SMSC message ids come back in one form in submit_sm_resp and sometimes in another in the
/// receipt (hex in one, decimal in the other, leading zeros, case). Two ids are the same message
/// when they are equal ignoring case and leading zeros, or when one read as hex equals the other
/// read as decimal.
/// </summary>
public static class SmppMessageId
{
    public static bool AreSame(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        if (Canonical(a) == Canonical(b))
        {
            return true;
        }

        return (ParseHex(a) is { } ah && ParseDecimal(b) == ah) || (ParseDecimal(a) is { } ad && ParseHex(b) == ad);
    }

    /// <summary>
    /// A key for dictionaries of message ids: case folded, leading zeros and blanks removed. Receipts
    /// from <see cref="SmppEsme"/> already carry the id in its submitted form while the ESME still
    /// remembers the submission (<see cref="SmppLimits.RememberedMessageIds"/>), so equal keys match
    /// them; for an id from before a restart, <see cref="AreSame"/> also matches hex against decimal.
    /// </summary>
    public static string Normalize(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Canonical(id);
    }

    /// <summary>Case folded, leading zeros and surrounding blanks removed.</summary>
    internal static string Canonical(string id)
    {
        var trimmed = id.Trim().TrimStart('0');
        return trimmed.Length == 0 && id.Trim().Length > 0 ? "0" : trimmed.ToLowerInvariant();
    }

    internal static UInt128? ParseHex(string id) =>
        UInt128.TryParse(id.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static UInt128? ParseDecimal(string id) =>
        UInt128.TryParse(id.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
