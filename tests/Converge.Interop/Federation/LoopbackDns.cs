using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Converge.Interop.Federation;

/// <summary>
/// The DNS trick of PEERS.md: a tiny responder on a random loopback UDP port that tells Prosody and
/// ejabberd where a test domain's server-to-server service is (SRV "0 0 PORT localhost."), and
/// NXDOMAIN for everything else. Neither server can otherwise be given a static route.
/// </summary>
internal sealed class LoopbackDns : IAsyncDisposable
{
    private const ushort Srv = 33;
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentDictionary<string, int> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _questions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackDns()
    {
        _loop = ServeAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>The questions asked so far ("name type"), for failure messages.</summary>
    public string Questions => string.Join(", ", _questions);

    /// <summary>Publishes _xmpp-server._tcp.<paramref name="domain"/> at localhost:<paramref name="port"/>.</summary>
    public void AddServerToServer(string domain, int port) => _services["_xmpp-server._tcp." + domain] = port;

    private async Task ServeAsync()
    {
        while (true)
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

            if (TryAnswer(request.Buffer, out var reply))
            {
                try
                {
                    await _udp.SendAsync(reply, request.RemoteEndPoint);
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    private bool TryAnswer(byte[] query, out byte[] reply)
    {
        reply = [];
        if (query.Length < 17)
        {
            return false;
        }

        var pos = 12;
        var labels = new List<string>();
        while (pos < query.Length && query[pos] != 0)
        {
            if (pos + 1 + query[pos] > query.Length)
            {
                return false;
            }

            labels.Add(Encoding.ASCII.GetString(query, pos + 1, query[pos]));
            pos += query[pos] + 1;
        }

        if (pos + 5 > query.Length)
        {
            return false;
        }

        var name = string.Join('.', labels);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(pos + 1));
        _questions.Enqueue($"{name} {type}");
        var questionEnd = pos + 5;
        var known = _services.TryGetValue(name, out var port);

        var answer = new List<byte>(query[..questionEnd]);
        answer[2] = (byte)(0x84 | (query[2] & 0x01)); // QR, AA, RD as asked
        answer[3] = (byte)(known ? 0x80 : 0x83); // RA; NXDOMAIN for names we do not know
        answer[6] = 0;
        answer[7] = (byte)(known && type == Srv ? 1 : 0);
        for (var i = 8; i < 12; i++)
        {
            answer[i] = 0;
        }

        if (known && type == Srv)
        {
            byte[] target = [9, .. "localhost"u8, 0];
            answer.AddRange([0xC0, 0x0C, 0, 33, 0, 1, 0, 0, 0, 30]);
            answer.AddRange([0, (byte)(6 + target.Length)]);
            answer.AddRange([0, 0, 0, 0, (byte)(port >> 8), (byte)port]);
            answer.AddRange(target);
        }

        reply = [.. answer];
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
