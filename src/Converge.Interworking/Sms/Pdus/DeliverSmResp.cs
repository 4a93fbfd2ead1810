namespace Converge.Interworking.Sms.Pdus;

/// <summary>deliver_sm_resp: this side has taken responsibility for a delivered message (or refuses it).</summary>
internal sealed class DeliverSmResp : MessageIdResponse
{
    public override SmppCommandId CommandId => SmppCommandId.DeliverSmResp;
}
