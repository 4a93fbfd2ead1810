using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Converge.Interworking.Sms.Pdus;
using Converge.Xmpp.Transport;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// One TCP connection to the SMSC and its SMPP session: a read loop that only parses and routes
/// PDUs, a write loop that alone touches the PipeWriter (so reading never waits on writing, and
/// PDUs queued together go out in one flush), a window of outstanding requests matched by sequence number, enquire_link every
/// <see cref="SmppOptions.EnquireLinkInterval"/>, and a queue of deliver_sm/data_sm handled one at
/// a time, in order, each answered only once the handler has taken it.
/// </summary>
internal sealed class SmppSession : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 8192, minimumReadSize: 1024, leaveOpen: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);
    private static readonly TimeSpan DrainOnClose = TimeSpan.FromSeconds(1);
    private const int OutboundQueue = 1024;

    private readonly Socket _socket;
    private readonly Stream _stream; // the socket's NetworkStream, or the SslStream over it (Sms.Tls)
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _window;
    private readonly SmppPendingRequests _pending = new();
    private readonly Channel<SmppPdu> _inbound;
    private readonly Channel<SmppPdu> _outbound;
    private readonly CancellationTokenSource _closed = new();
    private readonly SmppOptions _options;
    private readonly InboundMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly int _bind;
    private readonly CancellationToken _lifetime;
    private Task _reading = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;
    private Task _handling = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private string? _closeReason;
    private volatile SmppSessionState _state = SmppSessionState.Open;
    private bool _stopReading;

    private SmppSession(Socket socket, Stream stream, SmppOptions options, InboundMessageHandler handler, ILogger logger, int bind, CancellationToken lifetime)
    {
        _socket = socket;
        _stream = stream;
        _input = PipeReader.Create(_stream, ReaderOptions);
        _output = PipeWriter.Create(_stream, WriterOptions);
        _window = new SemaphoreSlim(options.Window, options.Window);
        _inbound = Channel.CreateBounded<SmppPdu>(new BoundedChannelOptions(Math.Max(1, options.Limits.InboundQueue))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // Requests are bounded by the window, responses by the SMSC's window: a full queue means
        // the SMSC stopped reading, and the session is closed rather than grow without end.
        _outbound = Channel.CreateBounded<SmppPdu>(new BoundedChannelOptions(OutboundQueue + options.Window)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _options = options;
        _handler = handler;
        _logger = logger;
        _bind = bind;
        _lifetime = lifetime;
    }

    public SmppSessionState State => _state;

    public bool IsBound => _state == SmppSessionState.Bound;

    /// <summary>Completes when the connection is gone, for whatever reason (<see cref="CloseReason"/>).</summary>
    public Task Completion => _reading;

    public string CloseReason => _closeReason ?? "open";

    /// <summary>Requests sent and not yet answered.</summary>
    public int Outstanding => _pending.Count;

    public static async Task<SmppSession> ConnectAsync(SmppOptions options, InboundMessageHandler handler, ILogger logger, int bind, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ResponseTimeout);
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (options.Tls.Enabled)
        {
            try
            {
                stream = await SecureAsync(stream, options, logger, bind, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                socket.Dispose();
                throw;
            }
        }

        var session = new SmppSession(socket, stream, options, handler, logger, bind, lifetime);
        session._writing = session.WriteLoopAsync();
        session._reading = session.ReadLoopAsync();
        session._handling = session.HandleInboundAsync();
        return session;
    }

    /// <summary>
    /// The TLS handshake as the client, bounded by the response timeout; the SMSC's certificate must pass
    /// <see cref="SmscCertificateCheck"/>, else <see cref="SmscCertificateRefusedException"/> before any PDU is written.
    /// </summary>
    private static async Task<Stream> SecureAsync(Stream inner, SmppOptions options, ILogger logger, int bind, CancellationToken cancellationToken)
    {
        var serverName = options.Tls.ServerName ?? options.Host;
        string? refusal = null;
        var client = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = SmscCertificateCheck.WhyRefused(certificate, chain, errors, serverName, options.Tls.TrustedRoots);
                return refusal is null;
            },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ResponseTimeout);
        try
        {
            var ssl = await TlsHandshake.AsClientAsync(inner, leaveInnerStreamOpen: false, client, timeout.Token).ConfigureAwait(false);
            SmppLog.TlsEstablished(logger, bind, options.Host, options.Port, ssl.SslProtocol.ToString(), serverName);
            return ssl;
        }
        catch (Exception e) when (refusal is not null && e is System.Security.Authentication.AuthenticationException or IOException)
        {
            SmppLog.TlsCertificateRefused(logger, bind, options.Host, options.Port, refusal);
            throw new SmscCertificateRefusedException(refusal);
        }
    }

    /// <summary>bind_transceiver; returns the SMSC's system_id, throws <see cref="SmppBindRefusedException"/> on an error status.</summary>
    public async Task<string> BindAsync(CancellationToken cancellationToken)
    {
        var bind = new BindTransceiver
        {
            SystemId = _options.SystemId,
            Password = _options.Password,
            SystemType = _options.SystemType,
        };
        bind.Validate();
        var response = await RequestAsync(bind, windowed: false, cancellationToken).ConfigureAwait(false);
        if (response is not BindTransceiverResp { CommandStatus: SmppCommandStatus.Ok } accepted)
        {
            var status = StatusOf(response);
            throw new SmppBindRefusedException(status == SmppCommandStatus.Ok ? SmppCommandStatus.BindFailed : status);
        }

        _state = SmppSessionState.Bound;
        _keepAlive = KeepAliveAsync();
        return accepted.SystemId;
    }

    /// <summary>
    /// Sends a request and waits for its response (or a generic_nack for it). Throws
    /// <see cref="SmppResponseTimeoutException"/> or <see cref="SmppSessionClosedException"/>.
    /// </summary>
    public async Task<SmppPdu> RequestAsync(SmppPdu request, bool windowed, CancellationToken cancellationToken)
    {
        if (windowed)
        {
            await EnterWindowAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var (sequence, response) = _pending.Register();
            request.SequenceNumber = sequence;
            try
            {
                Send(request);
                return await response.WaitAsync(_options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new SmppResponseTimeoutException($"no response to {request.CommandId} within {_options.ResponseTimeout.TotalSeconds:0.###} s");
            }
            finally
            {
                _pending.Forget(sequence);
            }
        }
        finally
        {
            if (windowed)
            {
                _window.Release();
            }
        }
    }

    /// <summary>The command_status a response carries, generic_nack and unparsable responses included.</summary>
    public static SmppCommandStatus StatusOf(SmppPdu response) =>
        response is MalformedPdu malformed ? malformed.Error : response.CommandStatus;

    /// <summary>unbind and wait briefly for unbind_resp, then close. For shutdown.</summary>
    public async Task UnbindAsync(TimeSpan wait)
    {
        if (_state != SmppSessionState.Bound)
        {
            return;
        }

        _state = SmppSessionState.Unbinding;
        try
        {
            using var timeout = new CancellationTokenSource(wait);
            await RequestAsync(new Unbind(), windowed: false, timeout.Token).ConfigureAwait(false);
            SmppLog.Unbound(_logger, _bind);
        }
        catch (Exception e) when (e is SmppSessionClosedException or SmppResponseTimeoutException or OperationCanceledException)
        {
            // Closing anyway: the SMSC treats a dropped connection as an unbind.
        }

        Close("unbound");
    }

    /// <summary>Ends the session: pending requests fail, the loops stop, the socket is shut down.</summary>
    public void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        _state = SmppSessionState.Closed;
        _pending.FailAll(new SmppSessionClosedException(reason));
        _inbound.Writer.TryComplete();
        _outbound.Writer.TryComplete();
        _closed.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close("disposed");
        await Task.WhenAll(Quietly(_reading), Quietly(_writing), Quietly(_handling), Quietly(_keepAlive)).ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Completing flushes what a cancelled write loop left buffered, into a socket already shut down.
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Nothing more can reach the SMSC.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        // _closed is not disposed: a submitter still holding this session reads its token, and
        // a CancellationTokenSource without timers holds nothing that needs releasing.
    }

    private async Task ReadLoopAsync()
    {
        var reason = "the SMSC closed the connection";
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closed.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (!_stopReading && SmppPduReader.TryRead(ref buffer, _options.Limits.MaxCommandLength, out var pdu))
                    {
                        await DispatchAsync(pdu).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (_stopReading)
                {
                    reason = "the SMSC unbound";
                    break;
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        reason = $"the SMSC closed the connection in the middle of a PDU ({buffer.Length} octets)";
                    }

                    break;
                }
            }
        }
        catch (SmppFramingException e)
        {
            reason = "framing error: " + e.Message;
            SmppLog.FramingError(_logger, _bind, e.Message);
            TrySend(new GenericNack { CommandStatus = SmppCommandStatus.InvalidCommandLength, SequenceNumber = e.SequenceNumber });
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            reason = _closeReason ?? "closed";
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or SmppSessionClosedException or ChannelClosedException)
        {
            reason = _closeReason ?? "connection lost: " + e.Message;
        }
        finally
        {
            // Let what is queued (a last response, the generic_nack of a framing error) go out first.
            _outbound.Writer.TryComplete();
            await Quietly(_writing.WaitAsync(DrainOnClose)).ConfigureAwait(false);
            Close(reason);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                while (_outbound.Reader.TryRead(out var pdu))
                {
                    SmppPduWriter.Write(pdu, _output);
                }

                // Only closing the session interrupts a flush: half a PDU on the wire breaks framing.
                var flushed = await _output.FlushAsync(_closed.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // Closed.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Close("write failed: " + e.Message);
        }
    }

    private async ValueTask DispatchAsync(SmppPdu pdu)
    {
        if (pdu.IsResponse)
        {
            if (!_pending.TryComplete(pdu.SequenceNumber, pdu))
            {
                SmppLog.UnmatchedResponse(_logger, _bind, pdu.CommandId.ToString(), pdu.SequenceNumber);
            }

            return;
        }

        if (pdu is MalformedPdu malformed)
        {
            SmppLog.MalformedPdu(_logger, _bind, $"0x{malformed.RawCommandId:X8}", malformed.SequenceNumber, malformed.Error.ToString(), malformed.Reason);
            TrySend(new GenericNack { CommandStatus = malformed.Error, SequenceNumber = malformed.SequenceNumber });
            return;
        }

        if (!SmppSessionStateTable.Accepts(_state, pdu.CommandId))
        {
            SmppLog.NotAllowed(_logger, _bind, pdu.CommandId.ToString(), _state.ToString());
            TrySend(new GenericNack { CommandStatus = SmppCommandStatus.IncorrectBindStatus, SequenceNumber = pdu.SequenceNumber });
            return;
        }

        switch (pdu)
        {
            case EnquireLink:
                TrySend(new EnquireLinkResp { SequenceNumber = pdu.SequenceNumber });
                break;
            case Unbind:
                SmppLog.SmscUnbinds(_logger, _bind);
                _state = SmppSessionState.Unbinding;
                TrySend(new UnbindResp { SequenceNumber = pdu.SequenceNumber });
                _stopReading = true;
                break;
            default:
                // deliver_sm / data_sm: queued so responses keep flowing while the handler works;
                // a full queue stops reading the socket, which is the back-pressure the SMSC sees.
                await _inbound.Writer.WriteAsync(pdu, _closed.Token).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleInboundAsync()
    {
        try
        {
            await foreach (var pdu in _inbound.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
            {
                var status = await _handler.HandleAsync(pdu, _lifetime).ConfigureAwait(false);
                SmppPdu response = pdu is DataSm ? new DataSmResp() : new DeliverSmResp();
                response.CommandStatus = status;
                response.SequenceNumber = pdu.SequenceNumber;
                TrySend(response);
            }
        }
        catch (OperationCanceledException)
        {
            // Closed, or the ESME stops: what was not answered will be delivered again by the SMSC.
        }
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(_options.EnquireLinkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token).ConfigureAwait(false))
            {
                try
                {
                    await RequestAsync(new EnquireLink(), windowed: false, _closed.Token).ConfigureAwait(false);
                }
                catch (SmppResponseTimeoutException)
                {
                    SmppLog.EnquireLinkTimeout(_logger, _bind, _options.ResponseTimeout);
                    Close("no enquire_link_resp");
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SmppSessionClosedException)
        {
            // The session ended.
        }
    }

    private async Task EnterWindowAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            await _window.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SmppSessionClosedException(CloseReason);
        }
    }

    private void Send(SmppPdu pdu)
    {
        if (!_outbound.Writer.TryWrite(pdu))
        {
            if (_closeReason is null)
            {
                Close("the SMSC is not reading: outbound queue full");
            }

            throw new SmppSessionClosedException(CloseReason);
        }
    }

    /// <summary>Responses and nacks: if the connection is gone there is nobody to tell.</summary>
    private void TrySend(SmppPdu pdu)
    {
        try
        {
            Send(pdu);
        }
        catch (SmppSessionClosedException)
        {
            // The read loop notices and reports the close.
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SmppSessionClosedException or IOException or SocketException or ObjectDisposedException)
        {
            // Reported where it happened.
        }
    }
}
