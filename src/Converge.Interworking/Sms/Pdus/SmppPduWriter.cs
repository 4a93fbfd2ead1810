using System.Buffers;
using System.Diagnostics;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>Encodes PDUs into a buffer writer (a PipeWriter on a connection), length computed first.</summary>
internal static class SmppPduWriter
{
    public static int Write(SmppPdu pdu, IBufferWriter<byte> output)
    {
        var length = pdu.EncodedLength;
        var span = output.GetSpan(length)[..length];
        new SmppHeader((uint)length, (uint)pdu.CommandId, (uint)pdu.CommandStatus, pdu.SequenceNumber).Write(span);
        var writer = new SmppBodyWriter(span[SmppHeader.Size..]);
        pdu.WriteBody(ref writer);
        Debug.Assert(writer.Written == length - SmppHeader.Size, "EncodedLength and WriteBody disagree");
        output.Advance(length);
        return length;
    }

    public static byte[] ToArray(SmppPdu pdu)
    {
        var buffer = new ArrayBufferWriter<byte>(pdu.EncodedLength);
        Write(pdu, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
