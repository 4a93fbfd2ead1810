namespace Converge.Interworking.Sms.Pdus;

/// <summary>bind_transmitter: a session that only submits.</summary>
internal sealed class BindTransmitter : BindRequest
{
    public override SmppCommandId CommandId => SmppCommandId.BindTransmitter;
}
