using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A tiny authoritative DNS server on a loopback UDP port: SRV and A records from a table, NXDOMAIN
/// for anything else. Written independently of the resolver it tests; answers point back to the
/// question with a compression pointer, as real servers do.
/// </summary>
internal sealed class TestDnsResponder : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly Dictionary<(string Name, ushort Type), List<byte[]>> _records = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpListener _tcp;
    private readonly Task _loop;
    private readonly Task _tcpLoop;

    public TestDnsResponder()
    {
        // DNS answers on UDP and TCP on one port number: a free UDP port's TCP twin may be taken by
        // someone else on a busy machine, so take another pair until both are ours.
        for (var attempt = 1; ; attempt++)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            _tcp = new TcpListener(IPAddress.Loopback, Endpoint.Port);
            try
            {
                _tcp.Start();
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                _udp.Dispose();
            }
        }

        _loop = ServeAsync();
        _tcpLoop = ServeTcpAsync();
    }

    /// <summary>Answer UDP questions with the TC bit and no records, so the client must ask again over TCP.</summary>
    public bool TruncateUdp { get; set; }

    public int TcpQuestions { get; private set; }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int Questions { get; private set; }

    public void AddSrv(string name, ushort priority, ushort weight, ushort port, string target)
    {
        var data = new List<byte>();
        data.AddRange(BigEndian(priority));
        data.AddRange(BigEndian(weight));
        data.AddRange(BigEndian(port));
        data.AddRange(EncodeName(target));
        Add(name, 33, [.. data]);
    }

    public void AddA(string name, IPAddress address) => Add(name, 1, address.GetAddressBytes());

    private void Add(string name, ushort type, byte[] data)
    {
        if (!_records.TryGetValue((name, type), out var list))
        {
            _records[(name, type)] = list = [];
        }

        list.Add(data);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Questions++;
            var reply = Answer(request.Buffer);
            if (TruncateUdp)
            {
                reply = reply[..QuestionEnd(request.Buffer)]; // the question only: a query may carry an EDNS record after it
                reply[2] |= 0x02; // TC
                reply[6] = reply[7] = 0;
            }

            await _udp.SendAsync(reply, request.RemoteEndPoint);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var length = new byte[2];
                await stream.ReadExactlyAsync(length, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                await stream.ReadExactlyAsync(query, _stop.Token);
                TcpQuestions++;
                var reply = Answer(query);
                await stream.WriteAsync(BigEndian((ushort)reply.Length), _stop.Token);
                await stream.WriteAsync(reply, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private static int QuestionEnd(byte[] query)
    {
        var pos = 12;
        while (query[pos] != 0)
        {
            pos += query[pos] + 1;
        }

        return pos + 5;
    }

    private byte[] Answer(byte[] query)
    {
        var pos = 12;
        var labels = new List<string>();
        while (query[pos] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, pos + 1, query[pos]));
            pos += query[pos] + 1;
        }

        var name = string.Join('.', labels);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(pos + 1));
        var questionEnd = pos + 5;
        var known = _records.Keys.Any(k => k.Name == name);
        var answers = _records.GetValueOrDefault((name, type)) ?? [];

        var reply = new List<byte>(query[..questionEnd]);
        reply[2] = 0x85; // QR, AA, RD
        reply[3] = (byte)(known ? 0x80 : 0x83); // RA; NXDOMAIN for unknown names
        reply[6] = 0;
        reply[7] = (byte)answers.Count;
        reply[8] = reply[9] = reply[10] = reply[11] = 0;
        foreach (var data in answers)
        {
            reply.AddRange([0xC0, 0x0C]); // the name: a pointer to the question
            reply.AddRange(BigEndian(type));
            reply.AddRange(BigEndian(1));
            reply.AddRange([0, 0, 0, 60]);
            reply.AddRange(BigEndian((ushort)data.Length));
            reply.AddRange(data);
        }

        return [.. reply];
    }

    private static byte[] BigEndian(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await _loop;
        await _tcpLoop;
        _stop.Dispose();
    }
}
