namespace Converge.Interworking.Sms.Pdus;

/// <summary>bind_transceiver: one session that submits and receives.</summary>
internal sealed class BindTransceiver : BindRequest
{
    public override SmppCommandId CommandId => SmppCommandId.BindTransceiver;
}
