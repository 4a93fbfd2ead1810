namespace Converge.Interworking.Sms.Pdus;

/// <summary>enquire_link_resp.</summary>
internal sealed class EnquireLinkResp : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.EnquireLinkResp;

    protected override bool HasBody => false;
}
