namespace Converge.Interworking.Sms.Pdus;

/// <summary>submit_sm: the ESME hands one short message (or one part of a long one) to the SMSC.</summary>
internal sealed class SubmitSm : ShortMessagePdu
{
    public override SmppCommandId CommandId => SmppCommandId.SubmitSm;
}
