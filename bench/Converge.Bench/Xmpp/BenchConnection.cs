using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Converge.Bench.Xmpp;

/// <summary>
/// One simulated client: its own TCP connection, TLS, and the bytes it exchanges. Reading is done
/// through a <see cref="PipeReader"/> by one loop; writes from the read loop (replies) and from
/// outside (a pacer, the scenario) are serialised by a lock.
/// </summary>
internal sealed class BenchConnection : IAsyncDisposable
{
    private static readonly byte[] StreamClose = "</stream:stream>"u8.ToArray();

    private readonly Socket _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _replies = new(1024);
    private Stream _stream;
    private PipeReader _reader;
    private byte[] _scratch = [];

    // --trace N: the first N elements read loops receive, on stderr (what did the server really send?).
    private static int _traceLeft;

    public static void TraceFirst(int elements) => _traceLeft = elements;

    private BenchConnection(Socket socket, int index)
    {
        _socket = socket;
        Index = index;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = CreateReader(_stream);
    }

    /// <summary>The 0-based number of the simulated user (or relay peer) this connection speaks for.</summary>
    public int Index { get; }

    /// <summary>The JID the server bound, once logged in.</summary>
    public string? BoundJid { get; internal set; }

    /// <summary>The roster result of the login (raw bytes), empty when none was asked for.</summary>
    public byte[] Roster { get; internal set; } = [];

    /// <summary>Replies to write after the current read; only for use inside <see cref="IStanzaHandler.OnElement"/>.</summary>
    public IBufferWriter<byte> Replies => _replies;

    /// <summary>Scenario-owned state for this connection (counters, partner), set before the read loop starts.</summary>
    public object? State { get; set; }

    public static async Task<BenchConnection> ConnectAsync(EndPoint server, IPAddress? source, int index, CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return new BenchConnection(socket, index);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the transport with TLS (after &lt;proceed/&gt;, or at once for direct TLS and the relay).</summary>
    public async Task StartTlsAsync(string targetHost, CancellationToken cancellationToken)
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                // Throwaway servers with self-signed certificates: the load is the point, not the trust.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
            cancellationToken).ConfigureAwait(false);
        _stream = tls;
        _reader = CreateReader(tls);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task SendAsync(string text, CancellationToken cancellationToken) => SendAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Reads the next top-level element (during negotiation: a copy, allocations do not matter there).</summary>
    public async Task<(ElementKind Kind, byte[] Bytes)> NextElementAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (ElementScanner.TryRead(ref buffer, out var element, out var kind))
            {
                var bytes = element.ToArray();
                _reader.AdvanceTo(buffer.Start);
                return (kind, bytes);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new LoginException("the server closed the connection");
            }
        }
    }

    /// <summary>
    /// Hands every element to <paramref name="handler"/> until the server closes the stream or
    /// <paramref name="cancellationToken"/> fires; sends the handler's replies after each read.
    /// </summary>
    public async Task RunAsync(IStanzaHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var receivedAt = Stopwatch.GetTimestamp();
            var closed = false;
            while (ElementScanner.TryRead(ref buffer, out var element, out var kind))
            {
                if (kind == ElementKind.StreamClose)
                {
                    closed = true;
                    break;
                }

                if (kind == ElementKind.Element)
                {
                    var bytes = Contiguous(element);
                    if (_traceLeft > 0 && Interlocked.Decrement(ref _traceLeft) >= 0)
                    {
                        Console.Error.WriteLine($"trace {Index}: {Encoding.UTF8.GetString(bytes)}");
                    }

                    handler.OnElement(this, bytes, receivedAt);
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            await FlushRepliesAsync(cancellationToken).ConfigureAwait(false);
            if (closed || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Sends what was written to <see cref="Replies"/> outside the read loop (e.g. during login).</summary>
    public async Task FlushRepliesAsync(CancellationToken cancellationToken)
    {
        if (_replies.WrittenCount == 0)
        {
            return;
        }

        await SendAsync(_replies.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _replies.ResetWrittenCount();
    }

    /// <summary>Sends &lt;/stream:stream&gt;; the server answers with its own and closes.</summary>
    public async Task SendStreamCloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(StreamClose, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server may already have gone: closing is all that is left to do.
        }
    }

    /// <summary>
    /// Ends the stream as a polite client does - &lt;/stream:stream&gt;, then waits (up to 2 s) for the
    /// server's - and closes the socket. Only for a connection without a running read loop.
    /// </summary>
    public async Task CloseAsync()
    {
        await SendStreamCloseAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            while ((await NextElementAsync(timeout.Token).ConfigureAwait(false)).Kind != ElementKind.StreamClose)
            {
                // Whatever was still under way (presence of others, pushes) is of no interest now.
            }
        }
        catch (Exception e) when (e is LoginException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed, or too slow to say goodbye.
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _writeLock.Dispose();
    }

    // Zero-byte reads: an idle connection holds no buffer while it waits (10,000 of them add up).
    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: true));

    private ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> element)
    {
        if (element.IsSingleSegment)
        {
            return element.FirstSpan;
        }

        var length = checked((int)element.Length);
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, 2 * _scratch.Length)];
        }

        element.CopyTo(_scratch);
        return _scratch.AsSpan(0, length);
    }
}
