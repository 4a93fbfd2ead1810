namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// data_sm (SMPP 3.4 §4.7): a message in either direction whose user data travels in the
/// message_payload TLV. Accepted inbound like deliver_sm.
/// </summary>
internal sealed class DataSm : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.DataSm;

    public string ServiceType { get; set; } = "";

    public byte SourceAddrTon { get; set; }

    public byte SourceAddrNpi { get; set; }

    public string SourceAddr { get; set; } = "";

    public byte DestAddrTon { get; set; }

    public byte DestAddrNpi { get; set; }

    public string DestinationAddr { get; set; } = "";

    public byte EsmClass { get; set; }

    public byte RegisteredDelivery { get; set; }

    public byte DataCoding { get; set; }

    public ReadOnlyMemory<byte> UserData => FindTlv(SmppTlvTag.MessagePayload)?.Value ?? ReadOnlyMemory<byte>.Empty;

    protected override int MandatoryLength =>
        SmppBodyWriter.CStringLength(ServiceType) + 2 + SmppBodyWriter.CStringLength(SourceAddr)
        + 2 + SmppBodyWriter.CStringLength(DestinationAddr) + 3;

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
        writer.WriteByte(RegisteredDelivery);
        writer.WriteByte(DataCoding);
    }

    protected override void ReadMandatory(ref SmppBodyReader reader)
    {
        ServiceType = reader.ReadCString("service_type", SmppFieldLimits.ServiceType, SmppCommandStatus.InvalidServiceType);
        SourceAddrTon = reader.ReadByte();
        SourceAddrNpi = reader.ReadByte();
        SourceAddr = reader.ReadCString("source_addr", SmppFieldLimits.DataSmAddress, SmppCommandStatus.InvalidSourceAddress);
        DestAddrTon = reader.ReadByte();
        DestAddrNpi = reader.ReadByte();
        DestinationAddr = reader.ReadCString("destination_addr", SmppFieldLimits.DataSmAddress, SmppCommandStatus.InvalidDestinationAddress);
        EsmClass = reader.ReadByte();
        RegisteredDelivery = reader.ReadByte();
        DataCoding = reader.ReadByte();
    }
}
