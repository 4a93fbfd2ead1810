using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Converge.Bench.Dns;

/// <summary>
/// `converge-bench dns`: the smallest DNS server the federation scenario needs. Prosody and
/// ejabberd find a peer's server-to-server listener only through the SRV record
/// _xmpp-server._tcp.DOMAIN (PEERS.md), so this answers that question for the benchmark's domains
/// with "0 0 PORT localhost." (ejabberd resolves the target with the system resolver, hence
/// localhost), an empty NOERROR for the names above those (a.test must exist for its SRV record to:
/// a resolver may take NXDOMAIN for a whole subtree, RFC 8020) and NXDOMAIN for every other name.
/// One UDP socket, one question per query.
/// </summary>
internal sealed class SrvResponder(IPEndPoint endpoint, IReadOnlyDictionary<string, int> serverPorts)
{
    private const ushort SrvType = 33;
    private const ushort InternetClass = 1;
    private const int HeaderLength = 12;
    private static readonly byte[] Target = [9, .. "localhost"u8, 0];

    private readonly Dictionary<string, int> _services = serverPorts.ToDictionary(
        s => "_xmpp-server._tcp." + s.Key.TrimEnd('.'), s => s.Value, StringComparer.OrdinalIgnoreCase);

    private HashSet<string> ExistingNames => field ??= new(
        _services.Keys.SelectMany(name => name.Split('.').Select((_, i) => string.Join('.', name.Split('.').Skip(i)))),
        StringComparer.OrdinalIgnoreCase);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(endpoint);
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await udp.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP "port unreachable" for an earlier reply: nothing to do with this socket.
            }

            if (Answer(request.Buffer) is not { } reply)
            {
                continue;
            }

            try
            {
                await udp.SendAsync(reply, request.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The asker is gone; it will ask again.
            }
        }
    }

    /// <summary>The reply to one query, or null for something that is not a well-formed query.</summary>
    public byte[]? Answer(ReadOnlySpan<byte> query)
    {
        if (!TryReadQuestion(query, out var name, out var type, out var questionEnd))
        {
            return null;
        }

        var withRecord = _services.TryGetValue(name, out var port) && type == SrvType;
        var known = ExistingNames.Contains(name);
        var reply = new byte[questionEnd + (withRecord ? 18 + Target.Length : 0)];
        query[..questionEnd].CopyTo(reply);

        // Header: QR and AA set, opcode and RD as asked; RA; NOERROR or NXDOMAIN; one question, the answer if any.
        reply[2] = (byte)(0x84 | (query[2] & 0x79));
        reply[3] = (byte)(known ? 0x80 : 0x83);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(withRecord ? 1 : 0));
        reply.AsSpan(8, 4).Clear();
        if (withRecord)
        {
            var record = reply.AsSpan(questionEnd);
            BinaryPrimitives.WriteUInt16BigEndian(record, 0xC000 | HeaderLength); // the question's name
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], SrvType);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], InternetClass);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], 30); // TTL
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], (ushort)(6 + Target.Length));
            BinaryPrimitives.WriteUInt16BigEndian(record[12..], 0); // priority
            BinaryPrimitives.WriteUInt16BigEndian(record[14..], 0); // weight
            BinaryPrimitives.WriteUInt16BigEndian(record[16..], (ushort)port);
            Target.CopyTo(record[18..]);
        }

        return reply;
    }

    private static bool TryReadQuestion(ReadOnlySpan<byte> query, out string name, out ushort type, out int questionEnd)
    {
        (name, type, questionEnd) = ("", 0, 0);
        if (query.Length < HeaderLength + 5 || (query[2] & 0x80) != 0 || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1)
        {
            return false;
        }

        var labels = new StringBuilder();
        var at = HeaderLength;
        while (query[at] != 0)
        {
            int length = query[at];
            if (length > 63 || at + 1 + length >= query.Length)
            {
                return false;
            }

            labels.Append(labels.Length == 0 ? "" : ".").Append(Encoding.ASCII.GetString(query.Slice(at + 1, length)));
            at += 1 + length;
        }

        if (at + 5 > query.Length)
        {
            return false;
        }

        name = labels.ToString();
        type = BinaryPrimitives.ReadUInt16BigEndian(query[(at + 1)..]);
        questionEnd = at + 5;
        return true;
    }
}
