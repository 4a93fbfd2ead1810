namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// Where a part sits in a concatenated message: the reference shared by all parts, how many
/// there are and this part's number (1-based), from a UDH element or the SAR TLVs.
/// </summary>
internal readonly record struct ConcatenationInfo(int Reference, int Total, int Sequence, ConcatenationSource Source)
{
    /// <summary>TS 23.040 §9.2.3.24.1: a receiver ignores an element whose numbers make no sense.</summary>
    public bool IsValid => Total >= 1 && Sequence >= 1 && Sequence <= Total;
}
