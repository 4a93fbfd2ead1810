using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// Splits a byte stream into PDUs. Synchronous and without I/O: the connection loop owns the
/// PipeReader and advances it to what this consumed. A partial PDU is never consumed.
/// </summary>
internal static class SmppPduReader
{
    /// <summary>Largest command_length by default (<see cref="SmppLimits.MaxCommandLength"/>).</summary>
    public const int DefaultMaxCommandLength = 64 * 1024;

    public static bool TryRead(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out SmppPdu? pdu) =>
        TryRead(ref buffer, DefaultMaxCommandLength, out pdu);

    /// <summary>
    /// Reads one PDU from the start of <paramref name="buffer"/> and slices it off. Returns false,
    /// consuming nothing, while the PDU is incomplete. A command_length below 16 or above
    /// <paramref name="maxCommandLength"/> throws <see cref="SmppFramingException"/>. A body that
    /// does not parse, or an unknown command_id, comes back as a <see cref="MalformedPdu"/>.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxCommandLength, [NotNullWhen(true)] out SmppPdu? pdu)
    {
        pdu = null;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[SmppHeader.Size];
        var available = (int)Math.Min(buffer.Length, SmppHeader.Size);
        buffer.Slice(0, available).CopyTo(head);
        var commandLength = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (commandLength < SmppHeader.Size || commandLength > (uint)maxCommandLength)
        {
            var sequenceNumber = available == SmppHeader.Size ? BinaryPrimitives.ReadUInt32BigEndian(head[12..]) : 0;
            var reason = commandLength < SmppHeader.Size
                ? $"command_length {commandLength} is shorter than the 16-octet header"
                : $"command_length {commandLength} exceeds the limit of {maxCommandLength}";
            throw new SmppFramingException(reason, sequenceNumber);
        }

        if (buffer.Length < commandLength)
        {
            return false;
        }

        var frame = buffer.Slice(0, commandLength);
        if (frame.IsSingleSegment)
        {
            pdu = Parse(frame.FirstSpan);
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent((int)commandLength);
            try
            {
                frame.CopyTo(rented);
                pdu = Parse(rented.AsSpan(0, (int)commandLength));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        buffer = buffer.Slice(commandLength);
        return true;
    }

    private static SmppPdu Parse(ReadOnlySpan<byte> frame)
    {
        var header = SmppHeader.Read(frame);
        var status = (SmppCommandStatus)header.CommandStatus;
        var pdu = Create(header.CommandId);
        if (pdu is null)
        {
            return new MalformedPdu(header.CommandId, SmppCommandStatus.InvalidCommandId, $"command_id 0x{header.CommandId:X8} is not one this ESME knows")
            {
                SequenceNumber = header.SequenceNumber,
                CommandStatus = status,
            };
        }

        pdu.SequenceNumber = header.SequenceNumber;
        pdu.CommandStatus = status;
        try
        {
            pdu.ReadBody(frame[SmppHeader.Size..]);
            return pdu;
        }
        catch (SmppMalformedPduException e)
        {
            return new MalformedPdu(header.CommandId, e.Status, e.Message)
            {
                SequenceNumber = header.SequenceNumber,
                CommandStatus = status,
            };
        }
    }

    private static SmppPdu? Create(uint commandId) => (SmppCommandId)commandId switch
    {
        SmppCommandId.GenericNack => new GenericNack(),
        SmppCommandId.BindReceiver => new BindReceiver(),
        SmppCommandId.BindReceiverResp => new BindReceiverResp(),
        SmppCommandId.BindTransmitter => new BindTransmitter(),
        SmppCommandId.BindTransmitterResp => new BindTransmitterResp(),
        SmppCommandId.BindTransceiver => new BindTransceiver(),
        SmppCommandId.BindTransceiverResp => new BindTransceiverResp(),
        SmppCommandId.SubmitSm => new SubmitSm(),
        SmppCommandId.SubmitSmResp => new SubmitSmResp(),
        SmppCommandId.DeliverSm => new DeliverSm(),
        SmppCommandId.DeliverSmResp => new DeliverSmResp(),
        SmppCommandId.DataSm => new DataSm(),
        SmppCommandId.DataSmResp => new DataSmResp(),
        SmppCommandId.Unbind => new Unbind(),
        SmppCommandId.UnbindResp => new UnbindResp(),
        SmppCommandId.EnquireLink => new EnquireLink(),
        SmppCommandId.EnquireLinkResp => new EnquireLinkResp(),
        _ => null,
    };
}
