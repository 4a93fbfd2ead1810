namespace Converge.Interworking.Sms.Pdus;

/// <summary>bind_receiver: a session that only receives.</summary>
internal sealed class BindReceiver : BindRequest
{
    public override SmppCommandId CommandId => SmppCommandId.BindReceiver;
}
