namespace Converge.Interworking.Sms.Pdus;

/// <summary>unbind: the peer ends the session; answered with unbind_resp.</summary>
internal sealed class Unbind : SmppPdu
{
    public override SmppCommandId CommandId => SmppCommandId.Unbind;

    protected override bool HasBody => false;
}
