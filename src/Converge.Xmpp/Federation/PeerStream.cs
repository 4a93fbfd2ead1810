using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// One server-to-server XML stream over one TCP connection, either direction: the pipes, the
/// parser, serialized writes, and TLS as a transport swap (STARTTLS or direct TLS). Protocol
/// decisions are the links'; this only moves elements. Reads come from one task at a time;
/// writes from any, one after the other.
/// </summary>
internal sealed class PeerStream : IAsyncDisposable
{
    private static readonly SslApplicationProtocol XmppServerAlpn = new("xmpp-server");
    private static readonly KeyValuePair<string, string>[] DialbackPrefix = [new("db", FederationNamespaces.Dialback)];

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly XmppStreamParser _parser;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private StreamTransport _transport;
    private SslStream? _tls;
    private int _disposed;
    private bool _closeSent;

    public PeerStream(Socket socket, XmlLimits limits)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _parser = new XmppStreamParser(limits);
        _transport = StreamTransport.Plain(_network);
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public EndPoint? RemoteEndPoint { get; }

    public bool IsSecure => _tls is not null;

    /// <summary>The certificate the peer presented in the TLS handshake, if any.</summary>
    public PeerCertificate? RemoteCertificate { get; private set; }

    /// <summary>The default namespace of the peer's stream header (must be jabber:server).</summary>
    public string ContentNamespace => _parser.ContentNamespace;

    public static async Task<PeerStream> ConnectAsync(IPAddress address, int port, XmlLimits limits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No TCP connection to {address}:{port} within {timeout.TotalSeconds:0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new PeerStream(socket, limits);
    }

    /// <summary>The next stream event; null when the TCP connection ended. Throws <see cref="XmlStreamException"/> on bad XML.</summary>
    public ValueTask<XmppStreamEvent?> ReadAsync(CancellationToken cancellationToken) =>
        StreamEventReader.ReadAsync(_transport.Input, _parser, cancellationToken);

    /// <summary>A stream restart (RFC 6120 §4.3.3) after SASL success: the next bytes are a new stream header.</summary>
    public void Restart() => _parser.Reset();

    public ValueTask WriteHeaderAsync(string from, string? to, string? id, CancellationToken cancellationToken) =>
        _writeLock.WriteAndFlushAsync(
            _transport.Output,
            (from, to, id),
            static (output, h) => XmlWriter.WriteStreamHeader(output, h.from, h.to, h.id, Namespaces.Server, null, DialbackPrefix),
            cancellationToken);

    public ValueTask SendAsync(XmlElement element, CancellationToken cancellationToken) =>
        _writeLock.WriteAndFlushAsync(_transport.Output, element, static (output, e) => XmlWriter.Write(output, e, Namespaces.Server), cancellationToken);

    /// <summary>Queues an element in the pipe without flushing: a burst is flushed once by <see cref="FlushAsync"/>.</summary>
    public async ValueTask WriteAsync(XmlElement element, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            XmlWriter.Write(_transport.Output, element, Namespaces.Server);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await _transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                throw new IOException("The connection is closed.");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends a dialback element with the literal "db:" prefix the stream header declared: some
    /// servers (ejabberd) match the qualified name "db:result" rather than the namespace.
    /// </summary>
    public async ValueTask SendDialbackAsync(string name, string from, string to, string? id, string? type, string? key, CancellationToken cancellationToken)
    {
        var element = new XmlElement(name, FederationNamespaces.Dialback).SetAttribute("from", from).SetAttribute("to", to);
        if (id is not null)
        {
            element.SetAttribute("id", id);
        }

        if (type is not null)
        {
            element.SetAttribute("type", type);
        }

        if (!string.IsNullOrEmpty(key))
        {
            element.AddText(key);
        }

        await _writeLock.WriteAndFlushAsync(
            _transport.Output, element, static (output, e) => XmlWriter.WritePrefixed(output, e, DialbackPrefix[0].Key), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>TLS as the initiating server (STARTTLS after &lt;proceed/&gt;, or direct TLS), presenting our certificate for SASL EXTERNAL.</summary>
    public async Task StartTlsAsClientAsync(string peerDomain, X509Certificate2 certificate, bool directTls, CancellationToken cancellationToken)
    {
        await RetirePlainTransportAsync().ConfigureAwait(false);
        var ssl = await TlsHandshake.AsClientAsync(
            _network,
            leaveInnerStreamOpen: true,
            new SslClientAuthenticationOptions
            {
                TargetHost = peerDomain,
                ClientCertificateContext = CertificateContexts.For(certificate),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = directTls ? [XmppServerAlpn] : null,
                // Encryption with any certificate; whether it also authenticates the peer is decided later (dialback otherwise).
                RemoteCertificateValidationCallback = CaptureCertificate,
            },
            cancellationToken).ConfigureAwait(false);
        UseTls(ssl);
    }

    /// <summary>TLS as the receiving server after &lt;proceed/&gt;; the peer is asked for a certificate (SASL EXTERNAL) but need not have one.</summary>
    public async Task StartTlsAsServerAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await RetirePlainTransportAsync().ConfigureAwait(false);
        var ssl = await TlsHandshake.AsServerAsync(
            _network,
            leaveInnerStreamOpen: true,
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = CertificateContexts.For(certificate),
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = CaptureCertificate,
            },
            cancellationToken).ConfigureAwait(false);
        UseTls(ssl);
    }

    private bool CaptureCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null)
        {
            var intermediates = new X509Certificate2Collection();
            if (chain is not null)
            {
                intermediates.AddRange(chain.ChainPolicy.ExtraStore);
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            RemoteCertificate = new PeerCertificate(leaf, intermediates);
        }

        return true;
    }

    /// <summary>The plain pipes go; nothing may be buffered in them (the peer must wait for the handshake).</summary>
    private async Task RetirePlainTransportAsync()
    {
        if (_transport.Input.TryRead(out var pending))
        {
            var leftover = !pending.Buffer.IsEmpty;
            _transport.Input.AdvanceTo(pending.Buffer.Start);
            if (leftover)
            {
                throw new StreamError("policy-violation", "Nothing may follow <starttls/> before the TLS handshake.");
            }
        }

        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    private void UseTls(SslStream ssl)
    {
        _tls = ssl;
        _transport = StreamTransport.OverTls(ssl);
        _parser.Reset();
    }

    /// <summary>
    /// Sends the closing tag but keeps the connection, so what the peer had already sent can still
    /// be read until it closes its side too (RFC 6120 §4.4).
    /// </summary>
    public ValueTask SendCloseAsync(CancellationToken cancellationToken) =>
        _writeLock.WriteAndFlushAsync(
            _transport.Output,
            this,
            static (output, stream) =>
            {
                stream._closeSent = true;
                XmlWriter.WriteStreamClose(output);
            },
            cancellationToken);

    /// <summary>Ends the stream: an optional stream error, the closing tag (unless sent already), then the connection. Never throws.</summary>
    public async Task CloseAsync(StreamError? error, bool headerSent, string ourDomain)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _writeLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                var output = _transport.Output;
                if (!headerSent)
                {
                    XmlWriter.WriteStreamHeader(output, ourDomain, null, "0", Namespaces.Server, null, DialbackPrefix);
                }

                if (!_closeSent)
                {
                    if (error is not null)
                    {
                        XmlWriter.Write(output, error.ToElement(), Namespaces.Server);
                    }

                    XmlWriter.WriteStreamClose(output);
                    _closeSent = true;
                    await output.FlushAsync(timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Nothing more can be said to this peer.
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the connection. The socket goes first, which is safe while another task still reads
    /// or writes (they fail with an IOException); the pipes are left to the garbage collector
    /// rather than completed under a concurrent reader.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();
        try
        {
            if (_tls is not null)
            {
                await _tls.DisposeAsync().ConfigureAwait(false);
            }

            await _network.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
        }
    }
}
