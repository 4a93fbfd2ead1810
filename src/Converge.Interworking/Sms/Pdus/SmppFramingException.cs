namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// The byte stream cannot be split into PDUs any more (command_length out of bounds): the
/// bind ends, because nothing after this point can be trusted to start a PDU.
/// </summary>
internal sealed class SmppFramingException(string reason, uint sequenceNumber) : Exception(reason)
{
    /// <summary>The sequence number of the offending header, 0 when fewer than 16 octets were there.</summary>
    public uint SequenceNumber { get; } = sequenceNumber;
}
