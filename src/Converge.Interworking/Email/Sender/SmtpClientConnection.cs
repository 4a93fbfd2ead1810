using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// The client side of one SMTP connection: commands written to the stream, replies read through a
/// pipe with <see cref="SmtpReplyReader"/>, each wait bounded by its own timeout. STARTTLS replaces
/// the stream and the pipe; nothing the server sent before the handshake is kept.
/// </summary>
internal sealed class SmtpClientConnection : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 4096, leaveOpen: true);

    private Stream _stream;
    private PipeReader _input;

    private SmtpClientConnection(Stream stream)
    {
        _stream = stream;
        _input = PipeReader.Create(stream, ReaderOptions);
    }

    public bool IsSecure => _stream is SslStream;

    public static async Task<SmtpClientConnection> ConnectAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Connecting to {endpoint} timed out");
            }

            return new SmtpClientConnection(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<SmtpReply> ReadReplyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No reply within {timeout.TotalSeconds:0} s");
            }

            var buffer = result.Buffer;
            var end = buffer.End;
            if (SmtpReplyReader.TryRead(ref buffer, out var reply))
            {
                _input.AdvanceTo(buffer.Start);
                return reply!;
            }

            _input.AdvanceTo(buffer.Start, end);
            if (result.IsCompleted)
            {
                throw new IOException("The server closed the connection");
            }
        }
    }

    public Task WriteLineAsync(string line, TimeSpan timeout, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), timeout, cancellationToken);

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
            await _stream.FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Sending did not complete within {timeout.TotalSeconds:0} s");
        }
    }

    public async Task<SmtpReply> CommandAsync(string line, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await WriteLineAsync(line, timeout, cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The TLS handshake after the server's 220 to STARTTLS.</summary>
    public async Task StartTlsAsync(string targetHost, bool validateCertificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = validateCertificate ? null : static (_, _, _, _) => true,
                },
                deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException("The TLS handshake timed out");
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = tls;
        _input = PipeReader.Create(tls, ReaderOptions);
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
