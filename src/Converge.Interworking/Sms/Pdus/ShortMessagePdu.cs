namespace Converge.Interworking.Sms.Pdus;

/// <summary>The body submit_sm and deliver_sm share (SMPP 3.4 §4.4.1, §4.6.1).</summary>
internal abstract class ShortMessagePdu : SmppPdu
{
    public string ServiceType { get; set; } = "";

    public byte SourceAddrTon { get; set; }

    public byte SourceAddrNpi { get; set; }

    public string SourceAddr { get; set; } = "";

    public byte DestAddrTon { get; set; }

    public byte DestAddrNpi { get; set; }

    public string DestinationAddr { get; set; } = "";

    public byte EsmClass { get; set; }

    public byte ProtocolId { get; set; }

    public byte PriorityFlag { get; set; }

    public string ScheduleDeliveryTime { get; set; } = "";

    public string ValidityPeriod { get; set; } = "";

    public byte RegisteredDelivery { get; set; }

    public byte ReplaceIfPresentFlag { get; set; }

    public byte DataCoding { get; set; }

    public byte SmDefaultMsgId { get; set; }

    /// <summary>The user data as sent: the UDH first when esm_class has the UDHI bit, then the text octets.</summary>
    public ReadOnlyMemory<byte> ShortMessage { get; set; }

    protected override int MandatoryLength =>
        SmppBodyWriter.CStringLength(ServiceType) + 2 + SmppBodyWriter.CStringLength(SourceAddr)
        + 2 + SmppBodyWriter.CStringLength(DestinationAddr) + 3
        + SmppBodyWriter.CStringLength(ScheduleDeliveryTime) + SmppBodyWriter.CStringLength(ValidityPeriod)
        + 5 + ShortMessage.Length;

    protected override void WriteMandatory(ref SmppBodyWriter writer)
    {
        writer.WriteCString(ServiceType);
        writer.WriteByte(SourceAddrTon);
        writer.WriteByte(SourceAddrNpi);
        writer.WriteCString(SourceAddr);
        writer.WriteByte(DestAddrTon);
        writer.WriteByte(DestAddrNpi);
        writer.WriteCString(DestinationAddr);
        writer.WriteByte(EsmClass);
        writer.WriteByte(ProtocolId);
        writer.WriteByte(PriorityFlag);
        writer.WriteCString(ScheduleDeliveryTime);
        writer.WriteCString(ValidityPeriod);
        writer.WriteByte(RegisteredDelivery);
        writer.WriteByte(ReplaceIfPresentFlag);
        writer.WriteByte(DataCoding);
        writer.WriteByte(SmDefaultMsgId);
        writer.WriteByte((byte)ShortMessage.Length);
        writer.WriteBytes(ShortMessage.Span);
    }

    protected override void ReadMandatory(ref SmppBodyReader reader)
    {
        ServiceType = reader.ReadCString("service_type", SmppFieldLimits.ServiceType, SmppCommandStatus.InvalidServiceType);
        SourceAddrTon = reader.ReadByte();
        SourceAddrNpi = reader.ReadByte();
        SourceAddr = reader.ReadCString("source_addr", SmppFieldLimits.Address, SmppCommandStatus.InvalidSourceAddress);
        DestAddrTon = reader.ReadByte();
        DestAddrNpi = reader.ReadByte();
        DestinationAddr = reader.ReadCString("destination_addr", SmppFieldLimits.Address, SmppCommandStatus.InvalidDestinationAddress);
        EsmClass = reader.ReadByte();
        ProtocolId = reader.ReadByte();
        PriorityFlag = reader.ReadByte();
        ScheduleDeliveryTime = reader.ReadCString("schedule_delivery_time", SmppFieldLimits.Time, SmppCommandStatus.InvalidScheduledTime);
        ValidityPeriod = reader.ReadCString("validity_period", SmppFieldLimits.Time, SmppCommandStatus.InvalidExpiryTime);
        RegisteredDelivery = reader.ReadByte();
        ReplaceIfPresentFlag = reader.ReadByte();
        DataCoding = reader.ReadByte();
        SmDefaultMsgId = reader.ReadByte();
        var smLength = reader.ReadByte();
        ShortMessage = reader.ReadBytes(smLength, SmppCommandStatus.InvalidMessageLength, "short_message (sm_length)").ToArray();
    }

    /// <summary>The user data: short_message, or the message_payload TLV when short_message is empty.</summary>
    public ReadOnlyMemory<byte> UserData =>
        ShortMessage.IsEmpty && FindTlv(SmppTlvTag.MessagePayload) is { } payload ? payload.Value : ShortMessage;

    /// <summary>Checks what this side is about to send against the field sizes.</summary>
    public void Validate()
    {
        SmppBodyWriter.CheckCString(ServiceType, "service_type", SmppFieldLimits.ServiceType);
        SmppBodyWriter.CheckCString(SourceAddr, "source_addr", SmppFieldLimits.Address);
        SmppBodyWriter.CheckCString(DestinationAddr, "destination_addr", SmppFieldLimits.Address);
        SmppBodyWriter.CheckCString(ScheduleDeliveryTime, "schedule_delivery_time", SmppFieldLimits.Time);
        SmppBodyWriter.CheckCString(ValidityPeriod, "validity_period", SmppFieldLimits.Time);
        if (ShortMessage.Length > SmppFieldLimits.ShortMessage)
        {
            throw new ArgumentException($"short_message holds at most {SmppFieldLimits.ShortMessage} octets; this one has {ShortMessage.Length}.");
        }
    }
}
