namespace Converge.Interworking.Sms.Pdus;

/// <summary>The body of every bind response: the SMSC's system_id, then optionally sc_interface_version.</summary>
internal abstract class BindResponse : SmppPdu
{
    public string SystemId { get; set; } = "";

    protected override int MandatoryLength => SmppBodyWriter.CStringLength(SystemId);

    protected override void WriteMandatory(ref SmppBodyWriter writer) => writer.WriteCString(SystemId);

    protected override void ReadMandatory(ref SmppBodyReader reader) =>
        SystemId = reader.ReadCString("system_id", SmppFieldLimits.SystemId, SmppCommandStatus.InvalidSystemId);
}
