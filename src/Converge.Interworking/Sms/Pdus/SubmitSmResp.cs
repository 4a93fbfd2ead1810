namespace Converge.Interworking.Sms.Pdus;

/// <summary>submit_sm_resp: the SMSC's message id for a submitted message, or why it was refused.</summary>
internal sealed class SubmitSmResp : MessageIdResponse
{
    public override SmppCommandId CommandId => SmppCommandId.SubmitSmResp;
}
