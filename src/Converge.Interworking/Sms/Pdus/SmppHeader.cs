using System.Buffers.Binary;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>The 16-octet header every SMPP PDU starts with (§3.2), big-endian.</summary>
internal readonly record struct SmppHeader(uint CommandLength, uint CommandId, uint CommandStatus, uint SequenceNumber)
{
    public const int Size = 16;

    public bool IsResponse => SmppCommandIds.IsResponse(CommandId);

    public static SmppHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32BigEndian(source),
        BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[12..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, CommandLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], CommandId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], CommandStatus);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], SequenceNumber);
    }
}
