using System.Net.Security;

namespace Converge.Xmpp.Transport;

/// <summary>
/// What a connection's <see cref="System.IO.Pipelines.PipeReader"/> reads TLS through: the
/// <see cref="SslStream"/> itself, plus one observation. The reader asks for zero bytes exactly when
/// everything received so far has been consumed and it is about to wait for the peer (zero-byte
/// reads, <see cref="StreamTransport"/>); that is when the connection goes idle, so OpenSSL's
/// memory BIOs are emptied of their buffers there (<see cref="TlsMemoryBios"/>). Everything else
/// passes straight through; disposing this stream leaves the TLS stream to its owner.
/// </summary>
internal sealed class IdleReleasingTlsStream(SslStream tls, TlsMemoryBios bios) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => tls.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            bios.ReleaseEmpty();
        }

        return tls.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => tls.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => tls.Read(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        tls.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        tls.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => tls.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => tls.FlushAsync(cancellationToken);

    public override void Flush() => tls.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
