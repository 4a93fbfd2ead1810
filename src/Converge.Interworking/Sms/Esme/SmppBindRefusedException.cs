using Converge.Interworking.Sms.Pdus;

namespace Converge.Interworking.Sms.Esme;

/// <summary>bind_transceiver was answered with an error status (wrong password, unknown system_id, ...).</summary>
internal sealed class SmppBindRefusedException(SmppCommandStatus status) : Exception($"bind refused with {status}")
{
    public SmppCommandStatus Status { get; } = status;
}
