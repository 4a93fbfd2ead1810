using System.Buffers.Binary;
using System.Text;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>Writes PDU fields into a span sized beforehand from the PDU's encoded length.</summary>
internal ref struct SmppBodyWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public SmppBodyWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Written => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    public void WriteCString(string value)
    {
        _position += Encoding.Latin1.GetBytes(value, _destination[_position..]);
        _destination[_position++] = 0;
    }

    public void WriteTlvs(IReadOnlyList<SmppTlv> tlvs)
    {
        foreach (var tlv in tlvs)
        {
            WriteUInt16(tlv.Tag);
            WriteUInt16((ushort)tlv.Value.Length);
            WriteBytes(tlv.Value.Span);
        }
    }

    /// <summary>The encoded size of a C-octet string field: its octets and the NUL.</summary>
    public static int CStringLength(string value) => value.Length + 1;

    /// <summary>
    /// Checks a C-octet string this side is about to send against its field's size (NUL included);
    /// a violation is a programming or configuration error, so it throws rather than truncates.
    /// </summary>
    public static void CheckCString(string value, string field, int maxLength)
    {
        if (value.Length + 1 > maxLength)
        {
            // The value itself stays out of the message: the field may be the password.
            throw new ArgumentException($"SMPP field {field} holds at most {maxLength - 1} characters; the value has {value.Length}.", field);
        }

        foreach (var c in value)
        {
            if (c is '\0' or > '\u00FF')
            {
                throw new ArgumentException($"SMPP field {field} takes only Latin-1 characters without NUL.", field);
            }
        }
    }
}
