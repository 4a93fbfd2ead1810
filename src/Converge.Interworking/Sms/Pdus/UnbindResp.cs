namespace Converge.Interworking.Sms.Pdus;

/// <summary>unbind_resp.</summary>
internal sealed class UnbindResp : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.UnbindResp;

    protected override bool HasBody => false;
}
