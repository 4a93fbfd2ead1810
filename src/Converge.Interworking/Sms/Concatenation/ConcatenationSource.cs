namespace Converge.Interworking.Sms.Concatenation;

/// <summary>Where a part's concatenation numbers came from.</summary>
internal enum ConcatenationSource
{
    /// <summary>UDH IEI 0x00, 8-bit reference.</summary>
    Udh8,

    /// <summary>UDH IEI 0x08, 16-bit reference.</summary>
    Udh16,

    /// <summary>sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs.</summary>
    Sar,
}
