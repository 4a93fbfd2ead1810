namespace Converge.Interworking.Sms.Pdus;

/// <summary>generic_nack: the answer to a PDU that could not be understood; its status says why.</summary>
internal sealed class GenericNack : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.GenericNack;

    protected override bool HasBody => false;
}
