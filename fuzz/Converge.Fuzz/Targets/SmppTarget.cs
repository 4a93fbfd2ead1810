using System.Buffers;
using Converge.Interworking.Sms;
using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Esme;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Sms.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Fuzz.Targets;

/// <summary>
/// What an SMSC sends: bytes split into PDUs by SmppPduReader (in reads of a fuzzed size), and every
/// deliver_sm / data_sm handed to the real InboundMessageHandler (UDH and SAR concatenation,
/// reassembly, GSM 7-bit / UCS-2 / Latin-1 decoding, delivery receipts). A framing error
/// (SmppFramingException) is the documented refusal; a body that does not parse comes back as a
/// MalformedPdu. Every PDU read must also write back (SmppPduWriter) without throwing.
/// </summary>
internal sealed class SmppTarget : IFuzzTarget
{
    private readonly SmppLimits _limits = new() { MaxPendingReassemblies = 16 };

    public string Name => "smpp";

    public void Run(ReadOnlySpan<byte> input)
    {
        var decoder = new SmsTextDecoder(ia5IsAscii: input.Length > 0 && (input[0] & 1) != 0);
        var submitted = new SubmittedMessageIds(capacity: 8);
        submitted.Remember("16");
        var handler = new InboundMessageHandler(
            new SmsReassembler(_limits, decoder, TimeProvider.System), submitted, decoder, new SmsSenderAddress("44"), NullLogger.Instance, maxRetained: 4)
        {
            OnMessage = static (sms, _) => sms.Text.Length >= 0 ? ValueTask.CompletedTask : ValueTask.CompletedTask,
            OnReceipt = static (_, _) => ValueTask.CompletedTask,
        };

        var pending = new ArrayBufferWriter<byte>();
        var body = ChunkedInput.Body(input);
        var size = ChunkedInput.ChunkSize(input);
        try
        {
            for (var offset = 0; offset < body.Length; offset += size)
            {
                pending.Write(body.Slice(offset, Math.Min(size, body.Length - offset)));
                var buffer = new ReadOnlySequence<byte>(pending.WrittenMemory);
                while (SmppPduReader.TryRead(ref buffer, _limits.MaxCommandLength, out var pdu))
                {
                    Handle(handler, pdu);
                }

                var rest = buffer.ToArray();
                pending.Clear();
                pending.Write(rest);
            }
        }
        catch (SmppFramingException)
        {
            // The documented refusal: the session sends generic_nack and unbinds.
        }
    }

    private static void Handle(InboundMessageHandler handler, SmppPdu pdu)
    {
        if (pdu is not MalformedPdu)
        {
            _ = SmppPduWriter.ToArray(pdu);
        }

        if (pdu is DeliverSm or DataSm)
        {
            // The handlers above complete synchronously; the SMPP session awaits the same call.
            _ = handler.HandleAsync(pdu, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        if (pdu is ShortMessagePdu sm)
        {
            // The decoder and the header split on their own, as the outbound side's checks use them.
            _ = SmsTextDecoder.Decode(sm.UserData.Span, SmsDataCoding.Classify(sm.DataCoding, ia5IsAscii: false));
            if (UserDataHeader.TrySplit(sm.UserData.Span, out var header, out _))
            {
                _ = UserDataHeader.FindConcatenation(header);
            }
        }
    }
}
