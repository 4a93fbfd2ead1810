namespace Converge.Interworking.Sms.Pdus;

/// <summary>enquire_link: a keep-alive either side may send.</summary>
internal sealed class EnquireLink : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.EnquireLink;

    protected override bool HasBody => false;
}
