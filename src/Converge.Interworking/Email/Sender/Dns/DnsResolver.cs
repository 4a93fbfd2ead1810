using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Converge.Interworking.Email;

/// <summary>
/// A minimal stub resolver: asks the recursive name servers of /etc/resolv.conf (or one given
/// server) over UDP, retries over TCP when the answer is truncated, and tries each server in turn.
/// Answers must carry the query's random id and come from the server asked.
/// </summary>
internal sealed class DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int attempts = 2)
{
    public IReadOnlyList<IPEndPoint> Servers { get; } = servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, 53)];

    /// <summary>The "nameserver" lines of a resolv.conf; none (or no file) means 127.0.0.1 (resolv.conf(5)).</summary>
    public static IReadOnlyList<IPEndPoint> ReadResolvConf(string path = "/etc/resolv.conf")
    {
        var servers = new List<IPEndPoint>();
        if (!File.Exists(path))
        {
            return servers;
        }

        foreach (var line in File.ReadLines(path))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "nameserver")
            {
                var text = words[1];
                var percent = text.IndexOf('%', StringComparison.Ordinal);
                if (IPAddress.TryParse(percent < 0 ? text : text[..percent], out var address))
                {
                    servers.Add(new IPEndPoint(address, 53));
                }
            }
        }

        return servers;
    }

    public async Task<DnsLookup> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            foreach (var server in Servers)
            {
                var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
                var query = DnsMessage.BuildQuery(id, name, type);
                DnsResponse? response;
                try
                {
                    response = await QueryUdpAsync(server, query, id, cancellationToken).ConfigureAwait(false);
                    if (response is { Truncated: true })
                    {
                        response = await QueryTcpAsync(server, query, id, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is SocketException or FormatException or IOException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    continue;
                }

                switch (response?.ResponseCode)
                {
                    case DnsResponse.NoError:
                        return new DnsLookup(DnsLookupStatus.Ok, response.Answers, response.Additional);
                    case DnsResponse.NameError:
                        return new DnsLookup(DnsLookupStatus.NameError, [], []);
                }

                // SERVFAIL, REFUSED and the like: the next server may know better.
            }
        }

        return DnsLookup.Failed;
    }

    private async Task<DnsResponse?> QueryUdpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false); // only the server's datagrams are received
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await socket.SendAsync(query, SocketFlags.None, deadline.Token).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            DnsResponse response;
            try
            {
                response = DnsMessage.Parse(buffer.AsSpan(0, received));
            }
            catch (FormatException)
            {
                continue; // not ours or garbage: keep waiting for the real answer
            }

            if (response.Id == id)
            {
                return response;
            }
        }
    }

    private async Task<DnsResponse?> QueryTcpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, deadline.Token).ConfigureAwait(false);
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, deadline.Token).ConfigureAwait(false);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(body, deadline.Token).ConfigureAwait(false);
        var response = DnsMessage.Parse(body);
        return response.Id == id ? response : null;
    }
}
