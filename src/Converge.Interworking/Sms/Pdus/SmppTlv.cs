using System.Buffers.Binary;
using System.Text;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>An optional parameter: tag, length, value (SMPP 3.4 §3.2.4).</summary>
internal readonly record struct SmppTlv(ushort Tag, ReadOnlyMemory<byte> Value)
{
    public const int HeaderSize = 4;

    public int EncodedLength => HeaderSize + Value.Length;

    public static SmppTlv FromByte(ushort tag, byte value) => new(tag, new[] { value });

    public static SmppTlv FromUInt16(ushort tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return new SmppTlv(tag, bytes);
    }

    /// <summary>A C-octet string value (receipted_message_id): the text and its terminating NUL.</summary>
    public static SmppTlv FromCString(ushort tag, string value)
    {
        var bytes = new byte[value.Length + 1];
        Encoding.Latin1.GetBytes(value, bytes);
        return new SmppTlv(tag, bytes);
    }

    public byte AsByte() => Value.Span[0];

    public ushort AsUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Value.Span);

    /// <summary>The value as text up to the first NUL; some SMSCs omit the terminator, which is tolerated.</summary>
    public string AsCString()
    {
        var span = Value.Span;
        var end = span.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? span : span[..end]);
    }
}
