using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>The DNS wire format (RFC 1035 §4), just enough for MX, A and AAAA lookups.</summary>
internal static class DnsMessage
{
    private const int MaxPointerJumps = 64;

    /// <summary>A recursive query for one name and type, with an EDNS0 OPT record (RFC 6891) offering 1232-byte UDP answers.</summary>
    public static byte[] BuildQuery(ushort id, string name, DnsRecordType type)
    {
        var output = new List<byte>(64);
        WriteUInt16(output, id);
        WriteUInt16(output, 0x0100); // RD: recursion desired
        WriteUInt16(output, 1); // QDCOUNT
        WriteUInt16(output, 0);
        WriteUInt16(output, 0);
        WriteUInt16(output, 1); // ARCOUNT: the OPT record
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new ArgumentException($"'{name}' is not a valid domain name", nameof(name));
            }

            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }

        output.Add(0);
        WriteUInt16(output, (ushort)type);
        WriteUInt16(output, 1); // class IN
        output.Add(0); // OPT: root name
        WriteUInt16(output, (ushort)DnsRecordType.Opt);
        WriteUInt16(output, 1232); // UDP payload size
        output.AddRange([0, 0, 0, 0]); // extended rcode, version, flags
        WriteUInt16(output, 0); // no options
        return [.. output];
    }

    /// <summary>Parses a response; throws <see cref="FormatException"/> when it is not well formed.</summary>
    public static DnsResponse Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12)
        {
            throw new FormatException("A DNS message shorter than its header");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) == 0)
        {
            throw new FormatException("Not a DNS response");
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var position = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(message, ref position);
            position += 4;
        }

        var answerRecords = ReadRecords(message, ref position, answers);
        ReadRecords(message, ref position, authority);
        var additionalRecords = ReadRecords(message, ref position, additional);
        return new DnsResponse(id, flags & 0x000F, (flags & 0x0200) != 0, answerRecords, additionalRecords);
    }

    private static List<DnsRecord> ReadRecords(ReadOnlySpan<byte> message, ref int position, int count)
    {
        var records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(message, ref position);
            Require(message, position, 10);
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            position += 10;
            Require(message, position, length);
            var data = message.Slice(position, length);
            var dataPosition = position;
            switch (type)
            {
                case DnsRecordType.A when length == 4:
                    records.Add(new DnsRecord(name, type, Address: new IPAddress(data)));
                    break;
                case DnsRecordType.Aaaa when length == 16:
                    records.Add(new DnsRecord(name, type, Address: new IPAddress(data)));
                    break;
                case DnsRecordType.Mx when length >= 3:
                    var preference = BinaryPrimitives.ReadUInt16BigEndian(data);
                    dataPosition += 2;
                    records.Add(new DnsRecord(name, type, preference, ReadName(message, ref dataPosition)));
                    break;
                case DnsRecordType.CName:
                    records.Add(new DnsRecord(name, type, Target: ReadName(message, ref dataPosition)));
                    break;
            }

            position += length;
        }

        return records;
    }

    /// <summary>A domain name with compression pointers followed (bounded, so a pointer loop cannot hang the reader).</summary>
    private static string ReadName(ReadOnlySpan<byte> message, ref int position)
    {
        var name = new StringBuilder();
        var cursor = position;
        var jumped = false;
        for (var jumps = 0; jumps <= MaxPointerJumps;)
        {
            Require(message, cursor, 1);
            var length = message[cursor];
            if (length == 0)
            {
                if (!jumped)
                {
                    position = cursor + 1;
                }

                return name.Length == 0 ? "." : name.ToString();
            }

            if ((length & 0xC0) == 0xC0)
            {
                Require(message, cursor, 2);
                if (!jumped)
                {
                    position = cursor + 2;
                }

                cursor = BinaryPrimitives.ReadUInt16BigEndian(message[cursor..]) & 0x3FFF;
                jumped = true;
                jumps++;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new FormatException("Unsupported DNS label type");
            }

            Require(message, cursor + 1, length);
            if (name.Length > 0)
            {
                name.Append('.');
            }

            name.Append(Encoding.ASCII.GetString(message.Slice(cursor + 1, length)));
            cursor += 1 + length;
        }

        throw new FormatException("A DNS name with too many compression pointers");
    }

    private static void Require(ReadOnlySpan<byte> message, int position, int length)
    {
        if (position < 0 || position + length > message.Length)
        {
            throw new FormatException("A DNS message cut short");
        }
    }

    private static void WriteUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }
}
