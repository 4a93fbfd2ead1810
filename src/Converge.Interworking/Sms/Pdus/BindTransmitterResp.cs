namespace Converge.Interworking.Sms.Pdus;

/// <summary>The answer to bind_transmitter.</summary>
internal sealed class BindTransmitterResp : BindResponse
{
    public override SmppCommandId CommandId => SmppCommandId.BindTransmitterResp;
}
