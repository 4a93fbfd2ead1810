namespace Converge.Interworking.Sms.Pdus;

/// <summary>The answer to bind_receiver.</summary>
internal sealed class BindReceiverResp : BindResponse
{
    public override SmppCommandId CommandId => SmppCommandId.BindReceiverResp;
}
