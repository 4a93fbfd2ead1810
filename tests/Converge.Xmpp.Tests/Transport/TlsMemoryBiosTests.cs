using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Converge.Xmpp.Tests.Federation;
using Converge.Xmpp.Transport;

namespace Converge.Xmpp.Tests.Transport;

/// <summary>
/// OpenSSL's memory BIOs give their buffers back while a TLS connection is idle, and a connection
/// whose buffers were taken away - even while records pass in both directions on other threads -
/// carries every byte unchanged.
/// </summary>
public sealed class TlsMemoryBiosTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_buffers_of_a_connection_that_carried_records_are_freed_once_and_it_still_works_both_ways()
    {
        Assert.True(OperatingSystem.IsLinux(), "SslStream drives OpenSSL through memory BIOs on Linux only");
        await using var pair = await TlsPair.OpenAsync();
        var bios = TlsMemoryBios.For(pair.Server);
        Assert.NotNull(bios); // the runtime still has the handle and the lock where this reads them

        for (var round = 0; round < 3; round++)
        {
            // A record larger than any handshake flight in each direction: both BIOs grew for it.
            await pair.ExchangeAsync(20_000 + round);
            Assert.True(bios.ReleaseEmpty() >= 1, "a BIO that held a record gives its buffer back");
            Assert.Equal(0, bios.ReleaseEmpty()); // nothing left to free until the next record
        }
    }

    [Fact]
    public async Task Buffers_freed_over_and_over_while_records_stream_both_ways_lose_and_change_nothing()
    {
        await using var pair = await TlsPair.OpenAsync();
        var bios = TlsMemoryBios.For(pair.Server)!;
        using var stop = new CancellationTokenSource();
        var released = 0L;
        var releaser = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                released += bios.ReleaseEmpty();
            }
        });

        // Server writes and reads at once (the session's writer and the connection's reader), in
        // chunks of every size up to several records, while the releaser takes buffers away.
        var toClient = RandomNumberGenerator.GetBytes(1_500_000);
        var toServer = RandomNumberGenerator.GetBytes(1_500_000);
        var serverWrites = WriteInChunksAsync(pair.Server, toClient);
        var clientWrites = WriteInChunksAsync(pair.Client, toServer);
        var clientReads = ReadExactlyAsync(pair.Client, toClient.Length);
        var serverReads = ReadExactlyAsync(pair.Server, toServer.Length);
        await Task.WhenAll(serverWrites, clientWrites, clientReads, serverReads).WaitAsync(Patience);
        await stop.CancelAsync();
        await releaser.WaitAsync(Patience);

        Assert.Equal(toClient, await clientReads);
        Assert.Equal(toServer, await serverReads);
        Assert.True(released > 0, "the releaser freed buffers between records");
    }

    [Fact]
    public async Task Records_that_arrive_a_few_bytes_at_a_time_while_buffers_are_freed_arrive_intact()
    {
        // Hostile pacing: every TLS record reaches the server in 7-byte TCP writes, so the server's
        // reads wait half-way through records while its buffers are freed again and again.
        await using var pair = await TlsPair.OpenAsync(trickle: true);
        var bios = TlsMemoryBios.For(pair.Server)!;
        using var stop = new CancellationTokenSource();
        var releaser = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                bios.ReleaseEmpty();
            }
        });

        var toServer = RandomNumberGenerator.GetBytes(40_000);
        var clientWrites = WriteInChunksAsync(pair.Client, toServer);
        var serverReads = ReadExactlyAsync(pair.Server, toServer.Length);
        await Task.WhenAll(clientWrites, serverReads).WaitAsync(Patience);
        await stop.CancelAsync();
        await releaser.WaitAsync(Patience);

        Assert.Equal(toServer, await serverReads);
        await pair.ExchangeAsync(100); // and the connection still works both ways
    }

    [Fact]
    public async Task A_connection_disposed_under_the_releaser_is_left_alone()
    {
        var pair = await TlsPair.OpenAsync();
        var bios = TlsMemoryBios.For(pair.Server)!;
        await pair.ExchangeAsync(5_000);
        await pair.DisposeAsync();

        Assert.Equal(0, bios.ReleaseEmpty());
    }

    [Fact]
    public async Task A_transport_over_tls_reads_through_the_releasing_stream_and_frees_while_waiting()
    {
        var (clientSocket, serverSocket) = await TlsPair.ConnectedSocketsAsync();
        using var clientSocketOwner = clientSocket;
        using var serverSocketOwner = serverSocket;
        var certificate = TestCertificates.SelfSigned("bios.test");
        await using var client = new SslStream(clientSocket.GetStream(), false, (_, _, _, _) => true);
        var serverSide = StreamTransport.ServerTlsAsync(serverSocket.GetStream(), certificate, null, CancellationToken.None);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "bios.test", EnabledSslProtocols = SslProtocols.Tls13 });
        await using var transport = await serverSide;

        var before = TlsMemoryBios.Released;
        var payload = RandomNumberGenerator.GetBytes(30_000);
        await client.WriteAsync(payload);
        var received = new MemoryStream();
        while (received.Length < payload.Length)
        {
            var result = await transport.Input.ReadAsync().AsTask().WaitAsync(Patience);
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            transport.Input.AdvanceTo(result.Buffer.End);
        }

        // All consumed: the reader's next read waits on a zero-byte read, after freeing the buffers.
        var pending = transport.Input.ReadAsync().AsTask();
        await WaitUntilAsync(() => TlsMemoryBios.Released > before);
        Assert.Equal(payload, received.ToArray());

        await client.WriteAsync("<presence/>"u8.ToArray());
        var next = await pending.WaitAsync(Patience);
        Assert.Equal("<presence/>"u8.ToArray(), System.Buffers.BuffersExtensions.ToArray(next.Buffer));
        transport.Input.AdvanceTo(next.Buffer.End);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within the timeout");
            await Task.Delay(10);
        }
    }

    private static async Task WriteInChunksAsync(Stream stream, byte[] data)
    {
        var sizes = new[] { 1, 100, 4_000, 16_384, 40_000, 7 };
        for (int offset = 0, i = 0; offset < data.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, size));
            offset += size;
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int length)
    {
        var data = new byte[length];
        await stream.ReadExactlyAsync(data);
        return data;
    }

    /// <summary>Two ends of a TLS 1.3 connection over loopback TCP: the server end is made as Converge makes it.</summary>
    private sealed class TlsPair : IAsyncDisposable
    {
        private readonly TcpClient _clientSocket;
        private readonly TcpClient _serverSocket;

        private TlsPair(TcpClient clientSocket, TcpClient serverSocket, SslStream client, SslStream server)
        {
            _clientSocket = clientSocket;
            _serverSocket = serverSocket;
            Client = client;
            Server = server;
        }

        public SslStream Client { get; }

        public SslStream Server { get; }

        public static async Task<TlsPair> OpenAsync(bool trickle = false)
        {
            var (clientSocket, serverSocket) = await ConnectedSocketsAsync();
            var certificate = TestCertificates.SelfSigned("bios.test");
            Stream clientTransport = trickle ? new TricklingStream(clientSocket.GetStream()) : clientSocket.GetStream();
            var client = new SslStream(clientTransport, false, (_, _, _, _) => true);
            var server = TlsHandshake.AsServerAsync(
                serverSocket.GetStream(),
                leaveInnerStreamOpen: false,
                new SslServerAuthenticationOptions { ServerCertificateContext = CertificateContexts.For(certificate), EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                CancellationToken.None);
            await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "bios.test", EnabledSslProtocols = SslProtocols.Tls13 });
            return new TlsPair(clientSocket, serverSocket, client, await server);
        }

        /// <summary>Both ends of a loopback TCP connection.</summary>
        public static async Task<(TcpClient Client, TcpClient Server)> ConnectedSocketsAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return (client, await listener.AcceptTcpClientAsync());
        }

        /// <summary>One payload of <paramref name="size"/> bytes each way, checked byte for byte.</summary>
        public async Task ExchangeAsync(int size)
        {
            var up = RandomNumberGenerator.GetBytes(size);
            var down = RandomNumberGenerator.GetBytes(size);
            await Client.WriteAsync(up);
            Assert.Equal(up, await ReadExactlyAsync(Server, size).WaitAsync(Patience));
            await Server.WriteAsync(down);
            Assert.Equal(down, await ReadExactlyAsync(Client, size).WaitAsync(Patience));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            _clientSocket.Dispose();
            _serverSocket.Dispose();
        }
    }

    /// <summary>Writes what it is given in 7-byte pieces, each sent on its own (no Nagle).</summary>
    private sealed class TricklingStream(NetworkStream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            inner.Socket.NoDelay = true;
            for (var offset = 0; offset < buffer.Length; offset += 7)
            {
                await inner.WriteAsync(buffer.Slice(offset, Math.Min(7, buffer.Length - offset)), cancellationToken);
                await Task.Yield();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
