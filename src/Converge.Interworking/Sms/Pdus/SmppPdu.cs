namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// An SMPP PDU: the header fields and, for PDUs that have a body, mandatory parameters
/// (written and read by each subclass) followed by optional parameters (TLVs).
/// </summary>
internal abstract class SmppPdu
{
    public abstract SmppCommandId CommandId { get; }

    public SmppCommandStatus CommandStatus { get; set; }

    public uint SequenceNumber { get; set; }

    public List<SmppTlv> Tlvs { get; set; } = [];

    public bool IsResponse => CommandId.IsResponse();

    /// <summary>Header-only PDUs (enquire_link, unbind, generic_nack, ...) say false.</summary>
    protected virtual bool HasBody => true;

    protected virtual int MandatoryLength => 0;

    public int EncodedLength
    {
        get
        {
            var length = SmppHeader.Size + MandatoryLength;
            foreach (var tlv in Tlvs)
            {
                length += tlv.EncodedLength;
            }

            return length;
        }
    }

    public SmppTlv? FindTlv(ushort tag)
    {
        foreach (var tlv in Tlvs)
        {
            if (tlv.Tag == tag)
            {
                return tlv;
            }
        }

        return null;
    }

    internal void WriteBody(ref SmppBodyWriter writer)
    {
        WriteMandatory(ref writer);
        writer.WriteTlvs(Tlvs);
    }

    internal void ReadBody(ReadOnlySpan<byte> body)
    {
        if (!HasBody)
        {
            if (!body.IsEmpty)
            {
                throw new SmppMalformedPduException(SmppCommandStatus.InvalidCommandLength, $"{CommandId} has no body but {body.Length} octets follow the header");
            }

            return;
        }

        // A response that reports an error may leave its body out (SMPP 3.4 §3.3).
        if (body.IsEmpty && IsResponse && CommandStatus != SmppCommandStatus.Ok)
        {
            return;
        }

        var reader = new SmppBodyReader(body);
        ReadMandatory(ref reader);
        Tlvs = reader.ReadTlvs();
    }

    protected virtual void WriteMandatory(ref SmppBodyWriter writer)
    {
    }

    protected virtual void ReadMandatory(ref SmppBodyReader reader)
    {
    }
}
