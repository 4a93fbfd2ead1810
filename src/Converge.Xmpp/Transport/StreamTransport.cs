using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Converge.Xmpp.Transport;

/// <summary>
/// A connection's byte transport as a pair of pipes over a stream. TLS is a step that swaps the
/// transport (STARTTLS or direct TLS), never a branch inside the XMPP parser (STYLE.md, Kestrel).
/// </summary>
internal sealed class StreamTransport : IClientTransport
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private StreamTransport(Stream stream, SslStream? tls)
    {
        Stream = stream;
        Tls = tls;
        // Over TLS the reader goes through the stream that frees OpenSSL's BIO buffers while idle.
        Input = PipeReader.Create(tls is not null && TlsMemoryBios.For(tls) is { } bios ? new IdleReleasingTlsStream(tls, bios) : stream, ReaderOptions);
        Output = PipeWriter.Create(stream, WriterOptions);
    }

    public Stream Stream { get; }

    public SslStream? Tls { get; }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public bool IsSecure => Tls is not null;

    public StreamFraming Framing => StreamFraming.Tcp;

    public bool CanStartTls => !IsSecure;

    public static StreamTransport Plain(Stream stream) => new(stream, null);

    /// <summary>A transport over a TLS stream that is already authenticated (a server-to-server link).</summary>
    public static StreamTransport OverTls(SslStream tls) => new(tls, tls);

    /// <summary>TLS server handshake over <paramref name="inner"/> and a new transport on top of it.</summary>
    public static async Task<StreamTransport> ServerTlsAsync(Stream inner, X509Certificate2 certificate, IList<SslApplicationProtocol>? alpn, CancellationToken cancellationToken)
    {
        var ssl = await TlsHandshake.AsServerAsync(
            inner,
            leaveInnerStreamOpen: false,
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = CertificateContexts.For(certificate),
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = alpn is null ? null : [.. alpn],
                AllowTlsResume = true,
            },
            cancellationToken).ConfigureAwait(false);
        return new StreamTransport(ssl, ssl);
    }

    /// <summary>
    /// STARTTLS: the plain pipes are retired (the client must not have sent anything after
    /// &lt;starttls/&gt;, so nothing is buffered in them) and TLS runs on the raw stream.
    /// </summary>
    public async Task<StreamTransport> UpgradeAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        return await ServerTlsAsync(Stream, certificate, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Input.CompleteAsync().ConfigureAwait(false);
            await Output.CompleteAsync().ConfigureAwait(false); // flushes: fails on a reset connection
        }
        finally
        {
            // The socket is closed even then, not left to the finalizer.
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
