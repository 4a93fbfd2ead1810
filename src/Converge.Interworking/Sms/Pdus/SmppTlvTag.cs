namespace Converge.Interworking.Sms.Pdus;

/// <summary>Optional parameter tags (SMPP 3.4 §5.3.2) that this ESME reads or writes.</summary>
internal static class SmppTlvTag
{
    public const ushort PayloadType = 0x0019;
    public const ushort ReceiptedMessageId = 0x001E;
    public const ushort UserMessageReference = 0x0204;
    public const ushort SourcePort = 0x020A;
    public const ushort DestinationPort = 0x020B;
    public const ushort SarMessageReferenceNumber = 0x020C;
    public const ushort SarTotalSegments = 0x020E;
    public const ushort SarSegmentSequenceNumber = 0x020F;
    public const ushort ScInterfaceVersion = 0x0210;
    public const ushort NetworkErrorCode = 0x0423;
    public const ushort MessagePayload = 0x0424;
    public const ushort MessageState = 0x0427;

    /// <summary>The value length a TLV must have when the specification fixes it; -1 when it varies.</summary>
    public static int FixedLength(ushort tag) => tag switch
    {
        PayloadType => 1,
        UserMessageReference => 2,
        SourcePort => 2,
        DestinationPort => 2,
        SarMessageReferenceNumber => 2,
        SarTotalSegments => 1,
        SarSegmentSequenceNumber => 1,
        ScInterfaceVersion => 1,
        NetworkErrorCode => 3,
        MessageState => 1,
        _ => -1,
    };
}
