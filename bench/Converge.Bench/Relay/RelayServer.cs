using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Converge.Bench.Relay;

/// <summary>
/// The machine's reference for the throughput scenario: the same clients and the same stanza
/// bytes, through a server that does the least any server must - accept, TLS (optional), and
/// forward bytes between paired clients - without parsing, routing or storing anything.
/// A client says "RELAY n\n" after connecting (and after TLS); clients n and n^1 are paired.
/// </summary>
internal sealed class RelayServer(IPEndPoint endpoint, X509Certificate2? certificate)
{
    private readonly Dictionary<int, Stream> _waiting = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endpoint);
        listener.Listen(4096);
        await Console.Out.WriteLineAsync($"relay listening on {endpoint} ({(certificate is null ? "plain TCP" : "TLS")})").ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            socket.NoDelay = true;
            _ = Task.Run(() => PairAsync(socket, cancellationToken), cancellationToken);
        }
    }

    private async Task PairAsync(Socket socket, CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken)
                    .ConfigureAwait(false);
            }

            var index = await ReadHelloAsync(stream, cancellationToken).ConfigureAwait(false);
            Stream? partner;
            lock (_waiting)
            {
                if (_waiting.Remove(index ^ 1, out partner))
                {
                    // Paired: both directions start below.
                }
                else
                {
                    _waiting[index] = stream;
                }
            }

            if (partner is not null)
            {
                _ = Task.Run(() => ForwardAsync(stream, partner, cancellationToken), cancellationToken);
                _ = Task.Run(() => ForwardAsync(partner, stream, cancellationToken), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException
            or OperationCanceledException or FormatException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<int> ReadHelloAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new byte[32];
        var length = 0;
        var one = new byte[1];
        while (length < line.Length)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new IOException("closed before the hello line");
            }

            if (one[0] == (byte)'\n')
            {
                var text = Encoding.ASCII.GetString(line, 0, length);
                return text.StartsWith("RELAY ", StringComparison.Ordinal)
                    ? int.Parse(text.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture)
                    : throw new FormatException("expected 'RELAY n'");
            }

            line[length++] = one[0];
        }

        throw new FormatException("hello line too long");
    }

    private static async Task ForwardAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 16 * 1024, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away: the other is closed below.
        }

        await to.DisposeAsync().ConfigureAwait(false);
        await from.DisposeAsync().ConfigureAwait(false);
    }
}
