namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// What the reader returns for a well-framed PDU it cannot use (unknown command_id, body that
/// does not parse): the session answers it with generic_nack carrying <see cref="Error"/>.
/// </summary>
internal sealed class MalformedPdu(uint rawCommandId, SmppCommandStatus error, string reason) : SmppPdu
{
    public uint RawCommandId { get; } = rawCommandId;

    public override SmppCommandId CommandId => (SmppCommandId)RawCommandId;

    public SmppCommandStatus Error { get; } = error;

    public string Reason { get; } = reason;

    protected override bool HasBody => false;
}
