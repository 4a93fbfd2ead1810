using System.Net.Security;

namespace Converge.Xmpp.Transport;

/// <summary>
/// The one place a byte stream becomes a TLS stream, for every listener and link: client streams
/// (STARTTLS and direct TLS), server-to-server links (both directions) and the SMTP listener. A failed
/// handshake disposes what it created; a finished one lets OpenSSL release its record buffers while
/// the connection is idle (<see cref="TlsIdleBuffers"/>), so no transport forgets to.
/// </summary>
public static class TlsHandshake
{
    private static long _completed;

    /// <summary>Handshakes completed since the process started (what <c>NativeHeapTrimmer</c> watches).</summary>
    public static long Completed => Interlocked.Read(ref _completed);

    /// <summary>TLS as the server over <paramref name="inner"/>.</summary>
    public static Task<SslStream> AsServerAsync(Stream inner, bool leaveInnerStreamOpen, SslServerAuthenticationOptions options, CancellationToken cancellationToken) =>
        HandshakeAsync(inner, leaveInnerStreamOpen, ssl => ssl.AuthenticateAsServerAsync(options, cancellationToken));

    /// <summary>TLS as the client over <paramref name="inner"/> (a server-to-server link we open).</summary>
    public static Task<SslStream> AsClientAsync(Stream inner, bool leaveInnerStreamOpen, SslClientAuthenticationOptions options, CancellationToken cancellationToken) =>
        HandshakeAsync(inner, leaveInnerStreamOpen, ssl => ssl.AuthenticateAsClientAsync(options, cancellationToken));

    private static async Task<SslStream> HandshakeAsync(Stream inner, bool leaveInnerStreamOpen, Func<SslStream, Task> authenticate)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen);
        try
        {
            await authenticate(ssl).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        TlsIdleBuffers.Release(ssl);
        Interlocked.Increment(ref _completed);
        return ssl;
    }
}
