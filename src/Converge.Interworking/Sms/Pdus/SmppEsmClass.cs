namespace Converge.Interworking.Sms.Pdus;

/// <summary>esm_class bits (SMPP 3.4 §5.2.12).</summary>
internal static class SmppEsmClass
{
    /// <summary>Bits 5-2: the message type.</summary>
    public const byte MessageTypeMask = 0x3C;

    /// <summary>xx0001xx: an SMSC delivery receipt.</summary>
    public const byte DeliveryReceipt = 0x04;

    /// <summary>xx0010xx: an SME delivery acknowledgement.</summary>
    public const byte DeliveryAcknowledgement = 0x08;

    /// <summary>xx0100xx: an SME manual/user acknowledgement.</summary>
    public const byte UserAcknowledgement = 0x10;

    /// <summary>xx1000xx: an intermediate delivery notification.</summary>
    public const byte IntermediateDeliveryNotification = 0x20;

    /// <summary>Bit 6: the user data starts with a User Data Header (TS 23.040 §9.2.3.24).</summary>
    public const byte UdhIndicator = 0x40;

    /// <summary>registered_delivery bits 1-0 = 01: a receipt on final success or failure.</summary>
    public const byte RegisteredDeliveryFinal = 0x01;

    public static bool IsReceipt(byte esmClass) => (esmClass & MessageTypeMask) is DeliveryReceipt or IntermediateDeliveryNotification;

    public static bool HasUdh(byte esmClass) => (esmClass & UdhIndicator) != 0;
}
