using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Converge.Xmpp.Federation.Dns;

/// <summary>
/// Encodes one question and decodes the answer section of its response (RFC 1035 §4), with
/// name compression, for the record types the server-to-server layer needs. Anything malformed
/// makes <see cref="TryParse"/> return false rather than throw: the bytes come from the network.
/// </summary>
internal static class DnsMessage
{
    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const int MaxPointerHops = 32;

    public static byte[] BuildQuery(ushort id, string name, DnsRecordType type)
    {
        var buffer = new byte[HeaderLength + name.Length + 2 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        buffer[2] = 0x01; // RD: recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(4), 1); // QDCOUNT
        var pos = HeaderLength;
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new ArgumentException($"'{name}' is not a valid DNS name.", nameof(name));
            }

            buffer[pos++] = (byte)bytes.Length;
            bytes.CopyTo(buffer, pos);
            pos += bytes.Length;
        }

        buffer[pos++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(pos), (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(pos + 2), 1); // class IN
        return buffer[..(pos + 4)];
    }

    /// <summary>Decodes a response to the query with <paramref name="id"/>; false when it is not one or is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, ushort id, DnsRecordType type, out DnsAnswer answer, out bool truncated)
    {
        answer = DnsAnswer.Failed;
        truncated = false;
        if (message.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(message) != id || (message[2] & 0x80) == 0)
        {
            return false;
        }

        truncated = (message[2] & 0x02) != 0;
        var code = (DnsResponseCode)(message[3] & 0x0F);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var pos = HeaderLength;
        for (var i = 0; i < questions; i++)
        {
            if (!TrySkipName(message, ref pos) || pos + 4 > message.Length)
            {
                return false;
            }

            pos += 4;
        }

        var services = new List<SrvRecord>();
        var addresses = new List<IPAddress>();
        for (var i = 0; i < answers; i++)
        {
            if (!TrySkipName(message, ref pos) || pos + 10 > message.Length)
            {
                return false;
            }

            var recordType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            if (pos + length > message.Length)
            {
                return false;
            }

            var data = message.Slice(pos, length);
            // Other records (the CNAME that led to the answer) are skipped.
            if (recordType == DnsRecordType.Srv && type == DnsRecordType.Srv)
            {
                var targetPos = pos + 6;
                if (length < 7 || !TryReadName(message, ref targetPos, out var target))
                {
                    return false;
                }

                services.Add(new SrvRecord(
                    BinaryPrimitives.ReadUInt16BigEndian(data),
                    BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                    BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
                    target));
            }
            else if (recordType == type && ((type == DnsRecordType.A && length == 4) || (type == DnsRecordType.Aaaa && length == 16)))
            {
                addresses.Add(new IPAddress(data));
            }

            pos += length;
        }

        answer = new DnsAnswer(code, services, addresses);
        return true;
    }

    private static bool TrySkipName(ReadOnlySpan<byte> message, ref int pos)
    {
        while (pos < message.Length)
        {
            var length = message[pos];
            if (length == 0)
            {
                pos++;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                pos += 2;
                return pos <= message.Length;
            }

            pos += 1 + length;
        }

        return false;
    }

    /// <summary>Reads a possibly compressed name; "." for the root.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int pos, out string name)
    {
        var builder = new StringBuilder();
        var cursor = pos;
        var jumped = false;
        var hops = 0;
        name = "";
        while (true)
        {
            if (cursor >= message.Length)
            {
                return false;
            }

            var length = message[cursor];
            if (length == 0)
            {
                if (!jumped)
                {
                    pos = cursor + 1;
                }

                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= message.Length || ++hops > MaxPointerHops)
                {
                    return false;
                }

                if (!jumped)
                {
                    pos = cursor + 2;
                }

                jumped = true;
                cursor = ((length & 0x3F) << 8) | message[cursor + 1];
                continue;
            }

            if ((length & 0xC0) != 0 || cursor + 1 + length > message.Length)
            {
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.ASCII.GetString(message.Slice(cursor + 1, length)));
            if (builder.Length > MaxNameLength)
            {
                return false;
            }

            cursor += 1 + length;
        }

        name = builder.Length == 0 ? "." : builder.ToString();
        return true;
    }
}
