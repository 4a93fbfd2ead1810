namespace Converge.Interworking.Sms.Pdus;

/// <summary>data_sm_resp.</summary>
internal sealed class DataSmResp : MessageIdResponse
{
    public override SmppCommandId CommandId => SmppCommandId.DataSmResp;
}
