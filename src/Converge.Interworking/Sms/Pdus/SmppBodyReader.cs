using System.Buffers.Binary;
using System.Text;

namespace Converge.Interworking.Sms.Pdus;

/// <summary>
/// Reads the mandatory parameters of a PDU body. Running short, or a C-octet string longer than
/// its field allows, throws <see cref="SmppMalformedPduException"/> with the status to nack with.
/// </summary>
internal ref struct SmppBodyReader
{
    private readonly ReadOnlySpan<byte> _body;
    private int _position;

    public SmppBodyReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _position = 0;
    }

    public readonly int Remaining => _body.Length - _position;

    public readonly bool IsAtEnd => _position == _body.Length;

    public byte ReadByte()
    {
        Need(1, "an integer");
        return _body[_position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count, SmppCommandStatus statusIfShort, string what)
    {
        if (Remaining < count)
        {
            throw new SmppMalformedPduException(statusIfShort, $"{what} runs past the end of the PDU");
        }

        var bytes = _body.Slice(_position, count);
        _position += count;
        return bytes;
    }

    /// <summary>
    /// A C-octet string whose field holds at most <paramref name="maxLength"/> octets including the
    /// terminating NUL (SMPP counts the NUL in every "Var. max" size).
    /// </summary>
    public string ReadCString(string field, int maxLength, SmppCommandStatus statusIfTooLong)
    {
        var rest = _body[_position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new SmppMalformedPduException(SmppCommandStatus.InvalidCommandLength, $"{field} has no terminating NUL before the end of the PDU");
        }

        if (end + 1 > maxLength)
        {
            throw new SmppMalformedPduException(statusIfTooLong, $"{field} is {end} octets long; at most {maxLength - 1} are allowed");
        }

        _position += end + 1;
        // Latin-1 keeps any octet as a char, so nothing is lost or replaced.
        return end == 0 ? string.Empty : Encoding.Latin1.GetString(rest[..end]);
    }

    /// <summary>The optional parameters that fill the rest of the body.</summary>
    public List<SmppTlv> ReadTlvs()
    {
        var tlvs = new List<SmppTlv>();
        while (!IsAtEnd)
        {
            if (Remaining < SmppTlv.HeaderSize)
            {
                throw new SmppMalformedPduException(SmppCommandStatus.InvalidOptionalParameterStream, "an optional parameter header is cut off");
            }

            var tag = BinaryPrimitives.ReadUInt16BigEndian(_body[_position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_body[(_position + 2)..]);
            _position += SmppTlv.HeaderSize;
            if (Remaining < length)
            {
                throw new SmppMalformedPduException(SmppCommandStatus.InvalidOptionalParameterStream, $"optional parameter 0x{tag:X4} declares {length} octets but {Remaining} remain");
            }

            var fixedLength = SmppTlvTag.FixedLength(tag);
            if (fixedLength >= 0 && fixedLength != length)
            {
                throw new SmppMalformedPduException(SmppCommandStatus.InvalidParameterLength, $"optional parameter 0x{tag:X4} must be {fixedLength} octets, not {length}");
            }

            tlvs.Add(new SmppTlv(tag, _body.Slice(_position, length).ToArray()));
            _position += length;
        }

        return tlvs;
    }

    private readonly void Need(int count, string what)
    {
        if (Remaining < count)
        {
            throw new SmppMalformedPduException(SmppCommandStatus.InvalidCommandLength, $"{what} runs past the end of the PDU");
        }
    }
}
