using System.Text;
using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Sms.Text;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// Turns deliver_sm / data_sm into <see cref="InboundSms"/> (parts reassembled) or
/// <see cref="DeliveryReceipt"/> and hands them over; the returned command_status is what the
/// SMSC is answered. A message is acknowledged only once its handler returned: a handler that
/// throws, or none being set, answers ESME_RX_T_APPN so the SMSC delivers it again. The parts
/// before the last of a concatenated message are acknowledged when they are held (see
/// <see cref="SmsReassembler"/>): holding them unanswered would stall SMSCs that send one part
/// at a time. A message whose source address is neither a number nor a sender name
/// (<see cref="SmsSenderAddress"/>) is answered ESME_RINVSRCADR and goes no further.
/// </summary>
internal sealed class InboundMessageHandler(SmsReassembler reassembler, SubmittedMessageIds submitted, SmsTextDecoder decoder, SmsSenderAddress senders, ILogger logger, int maxRetained)
{
    private readonly Lock _lock = new();
    private readonly List<ReassembledSms> _undelivered = [];

    public Func<InboundSms, CancellationToken, ValueTask>? OnMessage { get; set; }

    public Func<DeliveryReceipt, CancellationToken, ValueTask>? OnReceipt { get; set; }

    /// <summary>
    /// The store's room (disk full, issue 15 item 4): while it says full, every deliver_sm and data_sm -
    /// messages and receipts alike, each of which would be written - is answered ESME_RX_T_APPN, so the
    /// SMSC keeps it and delivers it again later instead of it being taken and then lost.
    /// </summary>
    public Core.Storage.StorageSpace? Space { get; set; }

    private long _refusedForSpace;

    public async ValueTask<SmppCommandStatus> HandleAsync(SmppPdu pdu, CancellationToken cancellationToken)
    {
        var inbound = pdu switch
        {
            DeliverSm d => new Delivered(d.SourceAddrTon, d.SourceAddr, d.DestAddrTon, d.DestinationAddr, d.EsmClass, d.DataCoding, d.UserData),
            DataSm d => new Delivered(d.SourceAddrTon, d.SourceAddr, d.DestAddrTon, d.DestinationAddr, d.EsmClass, d.DataCoding, d.UserData),
            _ => throw new ArgumentException($"{pdu.CommandId} is not a delivery", nameof(pdu)),
        };
        if (Space is { IsFull: true } space)
        {
            if (Interlocked.Increment(ref _refusedForSpace) % 100 == 1)
            {
                SmppLog.StorageFull(logger, Printable(inbound.Source), space.Reason ?? "no room");
            }

            return SmppCommandStatus.TemporaryAppError;
        }

        var destination = senders.NumberOrAsGiven(inbound.DestinationTon, inbound.Destination);
        if (SmppEsmClass.IsReceipt(inbound.EsmClass))
        {
            return await HandleReceiptAsync(pdu, inbound, senders.NumberOrAsGiven(inbound.SourceTon, inbound.Source), destination, cancellationToken).ConfigureAwait(false);
        }

        // The sender is settled before anything is held or handed over: a source that cannot be a
        // legacy address is refused for good, every part of it.
        if (!senders.TryGetLocalpart(inbound.SourceTon, inbound.Source, out var source, out var reason))
        {
            SmppLog.SenderRefused(logger, Printable(inbound.Source), inbound.SourceTon, destination, reason);
            LegacySenderRefusals.Count("sms");
            return SmppCommandStatus.InvalidSourceAddress;
        }

        return await HandleMessageAsync(pdu, inbound, source, destination, cancellationToken).ConfigureAwait(false);
    }

    // What the SMSC wrote goes to the log as it is, but never a line break or another control character.
    private static string Printable(string value) =>
        string.Create(value.Length, value, (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                span[i] = char.IsControl(v[i]) ? '?' : v[i];
            }
        });

    /// <summary>Hands over messages whose parts did not all arrive in time, and retries those a handler refused before.</summary>
    public async Task DeliverExpiredAsync(CancellationToken cancellationToken)
    {
        var expired = reassembler.TakeExpired();
        List<ReassembledSms> due;
        lock (_lock)
        {
            due = [.. _undelivered, .. expired];
            _undelivered.Clear();
        }

        foreach (var message in due)
        {
            if (message.MissingParts > 0)
            {
                SmppLog.IncompleteMessage(logger, message.Source, message.Destination, message.MissingParts);
            }

            if (!await TryHandOverAsync(message, cancellationToken).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    if (_undelivered.Count < maxRetained)
                    {
                        _undelivered.Add(message);
                    }
                    else
                    {
                        SmppLog.IncompleteMessageDropped(logger, message.Source);
                    }
                }
            }
        }
    }

    private async ValueTask<SmppCommandStatus> HandleMessageAsync(SmppPdu pdu, Delivered inbound, string source, string destination, CancellationToken cancellationToken)
    {
        var payload = inbound.UserData;
        ConcatenationInfo? concatenation = null;
        if (SmppEsmClass.HasUdh(inbound.EsmClass))
        {
            // A header that overruns the data, or leaves no text of a message that is no part of a
            // longer one, would reach the user as header bytes read as characters, or as nothing:
            // refused for good, so the SMSC reports the failure instead of retrying it.
            if (!UserDataHeader.TrySplit(payload.Span, out var header, out _))
            {
                SmppLog.MalformedUserDataHeader(logger, source, payload.Length);
                return SmppCommandStatus.InvalidEsmClass;
            }

            concatenation = UserDataHeader.FindConcatenation(header);
            payload = payload[header.Length..];
            if (payload.IsEmpty && concatenation is null)
            {
                SmppLog.MalformedUserDataHeader(logger, source, header.Length);
                return SmppCommandStatus.InvalidEsmClass;
            }
        }

        if (concatenation is null
            && pdu.FindTlv(SmppTlvTag.SarMessageReferenceNumber) is { } reference
            && pdu.FindTlv(SmppTlvTag.SarTotalSegments) is { } total
            && pdu.FindTlv(SmppTlvTag.SarSegmentSequenceNumber) is { } sequence)
        {
            concatenation = new ConcatenationInfo(reference.AsUInt16(), total.AsByte(), sequence.AsByte(), ConcatenationSource.Sar);
        }

        var result = reassembler.Add(new SmsPart(source, destination, concatenation, inbound.DataCoding, payload));
        return result.Outcome switch
        {
            ReassemblyOutcome.Complete => await TryHandOverAsync(result.Message!, cancellationToken).ConfigureAwait(false)
                ? SmppCommandStatus.Ok
                : SmppCommandStatus.TemporaryAppError,
            _ => SmppCommandStatus.Ok,
        };
    }

    private async ValueTask<bool> TryHandOverAsync(ReassembledSms message, CancellationToken cancellationToken)
    {
        var handler = OnMessage;
        if (handler is null)
        {
            SmppLog.NoMessageHandler(logger, message.Source);
            return false;
        }

        try
        {
            await handler(new InboundSms(message.Source, message.Destination, message.Text, message.FirstReceived), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SmppLog.MessageHandlerFailed(logger, message.Source, e);
            return false;
        }

        reassembler.Release(message.Key);
        SmppLog.MessageReceived(logger, message.Source, message.Destination, message.Text.Length);
        return true;
    }

    private async ValueTask<SmppCommandStatus> HandleReceiptAsync(SmppPdu pdu, Delivered inbound, string source, string destination, CancellationToken cancellationToken)
    {
        // Receipt text is ASCII in practice; GSM and ASCII agree on the letters, digits and ':' it uses.
        var text = decoder.AlphabetOf(inbound.DataCoding) == SmsAlphabet.Ucs2
            ? SmsTextDecoder.Decode(inbound.UserData.Span, SmsAlphabet.Ucs2)
            : Encoding.Latin1.GetString(inbound.UserData.Span);
        var parsed = DeliveryReceiptParser.Parse(pdu.FindTlv(SmppTlvTag.ReceiptedMessageId), pdu.FindTlv(SmppTlvTag.MessageState), text);
        if (parsed is not var (receiptId, state))
        {
            SmppLog.UnreadableReceipt(logger, source);
            return SmppCommandStatus.Ok;
        }

        var receipt = new DeliveryReceipt(submitted.Resolve(receiptId), state, source, destination);
        SmppLog.ReceiptReceived(logger, receipt.MessageId, DeliveryReceiptParser.Word(receipt.State));
        var handler = OnReceipt;
        if (handler is null)
        {
            return SmppCommandStatus.Ok;
        }

        try
        {
            await handler(receipt, cancellationToken).ConfigureAwait(false);
            return SmppCommandStatus.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SmppLog.ReceiptHandlerFailed(logger, receipt.MessageId, e);
            return SmppCommandStatus.TemporaryAppError;
        }
    }

    private readonly record struct Delivered(byte SourceTon, string Source, byte DestinationTon, string Destination, byte EsmClass, byte DataCoding, ReadOnlyMemory<byte> UserData);
}
