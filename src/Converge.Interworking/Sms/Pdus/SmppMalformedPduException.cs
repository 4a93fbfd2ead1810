namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// A PDU whose frame is sound but whose body is not: the reader turns it into a
/// <see cref="MalformedPdu"/> that is answered with generic_nack, and the bind goes on.
/// </summary>
internal sealed class SmppMalformedPduException(SmppCommandStatus status, string reason) : Exception(reason)
{
    public SmppCommandStatus Status { get; } = status;
}
