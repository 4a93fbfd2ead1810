using System.Globalization;

namespace Converge.Interworking.Sms;

/// <summary>
/// How the SMSC writes a message id in its delivery receipts, compared with the id its submit_sm_resp gave.
/// A bare id such as "10" is a valid number in both bases, so hex and decimal can only be told apart
/// when the operator says which the SMSC uses (<c>Sms.ReceiptIdBase</c>).
/// </summary>
public enum SmppReceiptIdBase
{
    /// <summary>The receipt gives the id as the response did (compared ignoring case and leading zeros).</summary>
    Same,

    /// <summary>The response gives the id in hex, the receipt gives the same number in decimal.</summary>
    Decimal,

    /// <summary>The response gives the id in decimal, the receipt gives the same number in hex.</summary>
    Hex,
}

/// <summary>
/// SMSC message ids come back in one form in submit_sm_resp and sometimes in another in the receipt
/// (hex in one, decimal in the other, leading zeros, case). Ids are compared as strings ignoring case
/// and leading zeros; a number is read in another base only when the SMSC's receipt base is configured
/// (<see cref="SmppReceiptIdBase"/>), never by guessing: a receipt for "10" does not match the submitted id "16".
/// </summary>
public static class SmppMessageId
{
    /// <summary>Whether a receipt's id stands for a submitted id, given how the SMSC writes receipt ids.</summary>
    public static bool AreSame(string? submitted, string? receipt, SmppReceiptIdBase receiptBase = SmppReceiptIdBase.Same)
    {
        if (submitted is null || receipt is null)
        {
            return false;
        }

        return Canonical(submitted) == (InSubmittedForm(receipt, receiptBase) ?? Canonical(receipt));
    }

    /// <summary>
    /// The canonical form (<see cref="Normalize"/>) the submission would have given the receipt's id,
    /// when the receipt base is configured and the id reads as a number in it; null otherwise.
    /// </summary>
    public static string? InSubmittedForm(string receipt, SmppReceiptIdBase receiptBase)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receiptBase switch
        {
            SmppReceiptIdBase.Decimal when ParseDecimal(receipt) is { } number => number.ToString("x", CultureInfo.InvariantCulture),
            SmppReceiptIdBase.Hex when ParseHex(receipt) is { } number => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>
    /// A key for dictionaries of message ids: case folded, leading zeros and blanks removed. Receipts
    /// from <see cref="SmppEsme"/> already carry the id in its submitted form (converted from the
    /// configured receipt base), so equal keys match them.
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
