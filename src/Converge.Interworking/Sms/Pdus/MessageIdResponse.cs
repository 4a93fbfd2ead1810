namespace Converge.Interworking.Sms.Pdus;

/// <summary>The body of submit_sm_resp, deliver_sm_resp and data_sm_resp: a message_id.</summary>
internal abstract class MessageIdResponse : SmppPdu
{
    /// <summary>The SMSC's id for the message; empty in deliver_sm_resp, where the field is unused.</summary>
    public string MessageId { get; set; } = "";

    protected override int MandatoryLength => SmppBodyWriter.CStringLength(MessageId);

    protected override void WriteMandatory(ref SmppBodyWriter writer) => writer.WriteCString(MessageId);

    protected override void ReadMandatory(ref SmppBodyReader reader) =>
        MessageId = reader.ReadCString("message_id", SmppFieldLimits.MessageId, SmppCommandStatus.InvalidMessageId);
}
