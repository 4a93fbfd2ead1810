namespace Converge.Interworking.Sms.Pdus;

/// <summary>The answer to bind_transceiver.</summary>
internal sealed class BindTransceiverResp : BindResponse
{
    public override SmppCommandId CommandId => SmppCommandId.BindTransceiverResp;
}
