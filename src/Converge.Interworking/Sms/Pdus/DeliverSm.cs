namespace Converge.Interworking.Sms.Pdus;

/// <summary>deliver_sm: the SMSC delivers a mobile-originated message or a delivery receipt.</summary>
internal sealed class DeliverSm : ShortMessagePdu
{
    public override SmppCommandId CommandId => SmppCommandId.DeliverSm;
}
