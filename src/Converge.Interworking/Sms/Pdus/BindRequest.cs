namespace Converge.Interworking.Sms.Pdus;

/// <summary>The body shared by bind_transmitter, bind_receiver and bind_transceiver (SMPP 3.4 §4.1).</summary>
internal abstract class BindRequest : SmppPdu
{
    /// <summary>interface_version 0x34: this side speaks SMPP 3.4.</summary>
    public const byte InterfaceVersion34 = 0x34;

    public string SystemId { get; set; } = "";

    public string Password { get; set; } = "";

    public string SystemType { get; set; } = "";

    public byte InterfaceVersion { get; set; } = InterfaceVersion34;

    public byte AddrTon { get; set; }

    public byte AddrNpi { get; set; }

    public string AddressRange { get; set; } = "";

    protected override int MandatoryLength =>
        SmppBodyWriter.CStringLength(SystemId) + SmppBodyWriter.CStringLength(Password)
        + SmppBodyWriter.CStringLength(SystemType) + 3 + SmppBodyWriter.CStringLength(AddressRange);

    protected override void WriteMandatory(ref SmppBodyWriter writer)
    {
        writer.WriteCString(SystemId);
        writer.WriteCString(Password);
        writer.WriteCString(SystemType);
        writer.WriteByte(InterfaceVersion);
        writer.WriteByte(AddrTon);
        writer.WriteByte(AddrNpi);
        writer.WriteCString(AddressRange);
    }

    protected override void ReadMandatory(ref SmppBodyReader reader)
    {
        SystemId = reader.ReadCString("system_id", SmppFieldLimits.SystemId, SmppCommandStatus.InvalidSystemId);
        Password = reader.ReadCString("password", SmppFieldLimits.Password, SmppCommandStatus.InvalidPassword);
        SystemType = reader.ReadCString("system_type", SmppFieldLimits.SystemType, SmppCommandStatus.InvalidSystemType);
        InterfaceVersion = reader.ReadByte();
        AddrTon = reader.ReadByte();
        AddrNpi = reader.ReadByte();
        AddressRange = reader.ReadCString("address_range", SmppFieldLimits.AddressRange, SmppCommandStatus.InvalidCommandLength);
    }

    /// <summary>Checks the fields against their sizes before anything is sent; never echoes the password.</summary>
    public void Validate()
    {
        SmppBodyWriter.CheckCString(SystemId, "system_id", SmppFieldLimits.SystemId);
        SmppBodyWriter.CheckCString(Password, "password", SmppFieldLimits.Password);
        SmppBodyWriter.CheckCString(SystemType, "system_type", SmppFieldLimits.SystemType);
        SmppBodyWriter.CheckCString(AddressRange, "address_range", SmppFieldLimits.AddressRange);
    }
}
