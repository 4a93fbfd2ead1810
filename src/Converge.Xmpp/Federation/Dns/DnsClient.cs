using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Converge.Xmpp.Federation.Dns;

/// <summary>
/// A minimal stub resolver: one question at a time over UDP to the configured servers (or those of
/// /etc/resolv.conf), retried over TCP when the answer is truncated. Enough for the SRV and address
/// look-ups of RFC 6120 §3.2; no cache (peers' links are long-lived, so look-ups are rare).
/// </summary>
internal sealed class DnsClient
{
    private const int MaxUdpResponse = 4096;

    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _attemptTimeout;

    /// <param name="server">The one server to ask; null for those of /etc/resolv.conf.</param>
    /// <param name="attemptTimeout">How long to wait for one server's answer (2 s by default).</param>
    public DnsClient(IPEndPoint? server, TimeSpan? attemptTimeout = null)
    {
        _servers = server is not null ? [server] : ReadResolvConf("/etc/resolv.conf");
        _attemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(2);
    }

    public IReadOnlyList<IPEndPoint> Servers => _servers;

    /// <summary>Asks each server in turn until one answers; <see cref="DnsAnswer.Failed"/> when none does.</summary>
    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        foreach (var server in _servers)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(RandomNumberGenerator.GetBytes(2));
            var query = DnsMessage.BuildQuery(id, name, type);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_attemptTimeout);
            try
            {
                var (answer, truncated) = await QueryUdpAsync(server, query, id, type, attempt.Token).ConfigureAwait(false);
                if (truncated)
                {
                    answer = await QueryTcpAsync(server, query, id, type, attempt.Token).ConfigureAwait(false);
                }

                if (answer is not null && answer.Code is DnsResponseCode.NoError or DnsResponseCode.NameError)
                {
                    return answer;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This server is slow or gone; try the next.
            }
            catch (SocketException)
            {
            }
        }

        return DnsAnswer.Failed;
    }

    private static async Task<(DnsAnswer? Answer, bool Truncated)> QueryUdpAsync(IPEndPoint server, byte[] query, ushort id, DnsRecordType type, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxUdpResponse];
        while (true)
        {
            // Datagrams with another id (late answers, spoofing attempts) are ignored.
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (DnsMessage.TryParse(buffer.AsSpan(0, received), id, type, out var answer, out var truncated))
            {
                return (answer, truncated);
            }
        }
    }

    private static async Task<DnsAnswer?> QueryTcpAsync(IPEndPoint server, byte[] query, ushort id, DnsRecordType type, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        var lengthBytes = new byte[2];
        await stream.ReadExactlyAsync(lengthBytes, cancellationToken).ConfigureAwait(false);
        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
        await stream.ReadExactlyAsync(response, cancellationToken).ConfigureAwait(false);
        return DnsMessage.TryParse(response, id, type, out var answer, out _) ? answer : null;
    }

    /// <summary>The "nameserver" lines of resolv.conf (port 53); loopback when there are none, as glibc does.</summary>
    internal static IReadOnlyList<IPEndPoint> ReadResolvConf(string path)
    {
        var servers = new List<IPEndPoint>();
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1].Split('%')[0], out var address))
                {
                    servers.Add(new IPEndPoint(address, 53));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, 53)];
    }
}
