using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Transport;

namespace Converge.Interworking.Email;

/// <summary>
/// A session's bytes as a pair of pipes over a stream. STARTTLS swaps the transport for one over
/// TLS; the SMTP code above it never branches on TLS (STYLE.md, Kestrel).
/// </summary>
internal sealed class SmtpTransport : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private SmtpTransport(Stream stream, bool isSecure)
    {
        Stream = stream;
        IsSecure = isSecure;
        Input = PipeReader.Create(stream, ReaderOptions);
        Output = PipeWriter.Create(stream, WriterOptions);
    }

    public Stream Stream { get; }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public bool IsSecure { get; }

    public static SmtpTransport Plain(Stream stream) => new(stream, isSecure: false);

    /// <summary>
    /// STARTTLS: the plain pipes are retired together with anything the client sent after the
    /// command (RFC 3207 §4.2: such bytes must not be taken as commands — the CVE-2011-0411 class of
    /// injection), and the TLS handshake runs on the raw stream.
    /// </summary>
    public async Task<SmtpTransport> UpgradeAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        var tls = await TlsHandshake.AsServerAsync(
            Stream,
            leaveInnerStreamOpen: false,
            new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            },
            cancellationToken).ConfigureAwait(false);
        return new SmtpTransport(tls, isSecure: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await Stream.DisposeAsync().ConfigureAwait(false);
    }
}
