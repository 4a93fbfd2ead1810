using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport.WebSockets;

/// <summary>
/// An RFC 7395 WebSocket as a client transport: a receive loop turns each text message into stream
/// bytes (<see cref="WebSocketMessageReader"/>) for the client protocol to read, a send loop turns
/// each framed element the protocol writes (<see cref="WebSocketFraming"/>) into one text message.
/// A message over the stanza size limit, a binary message or a broken frame ends the stream with a
/// stream error, which the protocol above reports to the client as it would on TCP.
/// </summary>
internal sealed class WebSocketTransport : IClientTransport
{
    private readonly WebSocket _socket;
    private readonly WebSocketMessageReader _reader;
    private readonly int _maxMessageBytes;
    private readonly Pipe _inbound = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly Pipe _outbound = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _sending;

    public WebSocketTransport(WebSocket socket, XmlLimits limits)
    {
        _socket = socket;
        _reader = new WebSocketMessageReader(limits);
        _maxMessageBytes = limits.MaxStanzaBytes;
        _receiving = Task.Run(ReceiveLoopAsync);
        _sending = Task.Run(SendLoopAsync);
    }

    public PipeReader Input => _inbound.Reader;

    public PipeWriter Output => _outbound.Writer;

    public StreamFraming Framing => WebSocketFraming.Instance;

    public bool CanStartTls => false;

    private async Task ReceiveLoopAsync()
    {
        var token = _stop.Token;
        var writer = _inbound.Writer;
        var message = new ArrayBufferWriter<byte>(4096);
        Exception? failure = null;
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    if (message.WrittenCount >= _maxMessageBytes)
                    {
                        await DrainAsync(token).ConfigureAwait(false);
                        throw new StreamError("policy-violation", $"A WebSocket message may carry at most {_maxMessageBytes} bytes.");
                    }

                    var room = message.GetMemory(Math.Min(16 * 1024, _maxMessageBytes + 1 - message.WrittenCount));
                    result = await _socket.ReceiveAsync(room, token).ConfigureAwait(false);
                    message.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break; // the client went away without <close/>: the connection is lost (and may be resumed)
                }

                if (message.WrittenCount > _maxMessageBytes)
                {
                    throw new StreamError("policy-violation", $"A WebSocket message may carry at most {_maxMessageBytes} bytes.");
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    throw new StreamError("unsupported-encoding", "XMPP over WebSocket uses text messages only (RFC 7395 §3.2).");
                }

                _reader.Translate(new ReadOnlySequence<byte>(message.WrittenMemory), writer);
                var flush = await writer.FlushAsync(token).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (StreamError e)
        {
            failure = e; // thrown at the protocol's next read, which then says so to the client
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await writer.CompleteAsync(failure).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and drops the rest of an oversized message, up to three times the limit: closing a socket
    /// with unread bytes resets it, and the reset would lose the stream error that says why.
    /// </summary>
    private async Task DrainAsync(CancellationToken token)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            while (drained < 3L * _maxMessageBytes)
            {
                var result = await _socket.ReceiveAsync(scratch.AsMemory(), token).ConfigureAwait(false);
                drained += result.Count;
                if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbound.Reader;
        var token = _stop.Token;
        var message = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.PositionOf(WebSocketFraming.MessageEnd) is { } end)
                {
                    var frame = buffer.Slice(0, end);
                    ReadOnlyMemory<byte> payload;
                    if (frame.IsSingleSegment)
                    {
                        payload = frame.First;
                    }
                    else
                    {
                        message.ResetWrittenCount();
                        foreach (var segment in frame)
                        {
                            message.Write(segment.Span);
                        }

                        payload = message.WrittenMemory;
                    }

                    await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, token).ConfigureAwait(false);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await reader.CompleteAsync().ConfigureAwait(false);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            await reader.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Everything written so far goes out, then the close frame. The receive loop then waits a
        // moment for the client's close frame: cancelling a pending receive aborts the WebSocket, and
        // an abort drops what the server's side has not put on the wire yet (the stream error, <close/>).
        await _outbound.Writer.CompleteAsync().ConfigureAwait(false);
        await _sending.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _inbound.Reader.CompleteAsync().ConfigureAwait(false);
        await _receiving.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_receiving.IsCompleted)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _receiving.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket.Dispose();
        _stop.Dispose();
    }
}
