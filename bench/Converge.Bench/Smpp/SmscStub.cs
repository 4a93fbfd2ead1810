using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Converge.Bench.Smpp;

/// <summary>
/// A zero-latency SMSC for the sms scenario: accepts any bind, answers every submit_sm at once
/// with a message id, answers enquire_link and unbind, and hands each submitted short message to
/// <see cref="OnSubmit"/> (on the connection's read loop). Deliberately minimal: it is the far end
/// of a measurement, not an SMSC; Converge's own SMPP codec is tested against the npm smpp package.
/// </summary>
internal sealed class SmscStub(IPEndPoint endpoint) : IAsyncDisposable
{
    private const uint BindReceiver = 0x00000001;
    private const uint BindTransmitter = 0x00000002;
    private const uint SubmitSm = 0x00000004;
    private const uint Unbind = 0x00000006;
    private const uint BindTransceiver = 0x00000009;
    private const uint EnquireLink = 0x00000015;
    private const uint GenericNack = 0x80000000;
    private const uint ResponseBit = 0x80000000;
    private const int HeaderSize = 16;

    private readonly Socket _listener = new(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private Task _accepting = Task.CompletedTask;
    private long _messageId;
    private int _binds;

    /// <summary>Called with (destination_addr, short_message) of each submit_sm, before its response is sent.</summary>
    public Action<string, ReadOnlyMemory<byte>>? OnSubmit { get; set; }

    /// <summary>Binds accepted so far (the ESME reconnects with back-off, so this may take a while to rise).</summary>
    public int Binds => Volatile.Read(ref _binds);

    public void Start()
    {
        _listener.Bind(endpoint);
        _listener.Listen(64);
        _accepting = AcceptAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(token).ConfigureAwait(false);
            socket.NoDelay = true;
            lock (_sessions)
            {
                _sessions.Add(Task.Run(() => ServeAsync(socket, token), token));
            }
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken token)
    {
        using var _ = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        await using var __ = stream.ConfigureAwait(false);
        var reader = PipeReader.Create(stream);
        var output = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var unbound = false;
                while (TryReadPdu(ref buffer, out var pdu))
                {
                    unbound |= Answer(pdu, output);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, token).ConfigureAwait(false);
                    output.ResetWrittenCount();
                }

                if (unbound || result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The ESME went away, or the scenario is over.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadPdu(ref ReadOnlySequence<byte> buffer, out byte[] pdu)
    {
        pdu = [];
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> length = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(length);
        var size = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (size < HeaderSize || size > 64 * 1024)
        {
            throw new IOException($"command_length {size}");
        }

        if (buffer.Length < size)
        {
            return false;
        }

        pdu = buffer.Slice(0, size).ToArray();
        buffer = buffer.Slice(size);
        return true;
    }

    // Returns true after an unbind (the response is written, then the connection ends).
    private bool Answer(byte[] pdu, ArrayBufferWriter<byte> output)
    {
        var command = BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(4));
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(12));
        switch (command)
        {
            case BindReceiver or BindTransmitter or BindTransceiver:
                Interlocked.Increment(ref _binds);
                Respond(output, command | ResponseBit, 0, sequence, "stub"u8);
                return false;
            case SubmitSm:
                if (TryShortMessage(pdu.AsMemory(HeaderSize), out var destination, out var text))
                {
                    OnSubmit?.Invoke(destination, text);
                }

                var id = Encoding.ASCII.GetBytes(Interlocked.Increment(ref _messageId).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
                Respond(output, SubmitSm | ResponseBit, 0, sequence, id);
                return false;
            case EnquireLink:
                Respond(output, EnquireLink | ResponseBit, 0, sequence, default);
                return false;
            case Unbind:
                Respond(output, Unbind | ResponseBit, 0, sequence, default);
                return true;
            default:
                // Responses from the ESME (deliver_sm_resp ...) need no answer; unknown requests get generic_nack.
                if ((command & ResponseBit) == 0)
                {
                    Respond(output, GenericNack, 3, sequence, default);
                }

                return false;
        }
    }

    // The header, then (for responses with a body) one C-octet string.
    private static void Respond(ArrayBufferWriter<byte> output, uint command, uint status, uint sequence, ReadOnlySpan<byte> cString)
    {
        var body = command is GenericNack or (EnquireLink | ResponseBit) or (Unbind | ResponseBit) ? 0 : cString.Length + 1;
        var span = output.GetSpan(HeaderSize + body);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(HeaderSize + body));
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], command);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], status);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], sequence);
        if (body > 0)
        {
            cString.CopyTo(span[HeaderSize..]);
            span[HeaderSize + cString.Length] = 0;
        }

        output.Advance(HeaderSize + body);
    }

    // submit_sm body (SMPP 3.4 §4.4.1): service_type, source ton/npi/addr, dest ton/npi/addr, esm_class,
    // protocol_id, priority_flag, schedule_delivery_time, validity_period, registered_delivery,
    // replace_if_present_flag, data_coding, sm_default_msg_id, sm_length, short_message.
    private static bool TryShortMessage(ReadOnlyMemory<byte> body, out string destination, out ReadOnlyMemory<byte> text)
    {
        destination = "";
        text = default;
        var span = body.Span;
        var at = 0;
        if (!SkipCString(span, ref at) || (at += 2) > span.Length || !SkipCString(span, ref at) || (at += 2) > span.Length)
        {
            return false;
        }

        var destinationStart = at;
        if (!SkipCString(span, ref at))
        {
            return false;
        }

        destination = Encoding.ASCII.GetString(span[destinationStart..(at - 1)]);
        at += 3;
        if (at > span.Length || !SkipCString(span, ref at) || !SkipCString(span, ref at) || (at += 4) >= span.Length)
        {
            return false;
        }

        var length = span[at++];
        if (at + length > span.Length)
        {
            return false;
        }

        text = body.Slice(at, length);
        return length > 0 || TryMessagePayload(body[(at + length)..], ref text);
    }

    // A long text may come in the message_payload TLV (0x0424) with sm_length 0.
    private static bool TryMessagePayload(ReadOnlyMemory<byte> tlvs, ref ReadOnlyMemory<byte> text)
    {
        var span = tlvs.Span;
        for (var at = 0; at + 4 <= span.Length;)
        {
            var tag = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(at + 2)..]);
            if (at + 4 + length > span.Length)
            {
                return false;
            }

            if (tag == 0x0424)
            {
                text = tlvs.Slice(at + 4, length);
                return true;
            }

            at += 4 + length;
        }

        return true;
    }

    private static bool SkipCString(ReadOnlySpan<byte> span, ref int at)
    {
        if (at >= span.Length)
        {
            return false;
        }

        var end = span[at..].IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        at += end + 1;
        return true;
    }
}
