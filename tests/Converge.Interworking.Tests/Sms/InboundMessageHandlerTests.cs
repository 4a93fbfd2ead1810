using System.Text;
using Converge.Interworking.Sms;
using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Esme;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Sms.Text;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

public class InboundMessageHandlerTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SubmittedMessageIds _submitted = new(100);
    private readonly List<InboundSms> _messages = [];
    private readonly List<DeliveryReceipt> _receipts = [];
    private readonly CapturingLogger<SmppEsme> _log = new();
    private readonly InboundMessageHandler _handler;

    public InboundMessageHandlerTests()
    {
        var limits = new SmppLimits { ReassemblyTimeout = TimeSpan.FromSeconds(10) };
        _handler = new InboundMessageHandler(new SmsReassembler(limits, SmsTextDecoder.Default, _clock), _submitted, SmsTextDecoder.Default, new SmsSenderAddress(), _log, maxRetained: 2)
        {
            OnMessage = (sms, _) =>
            {
                _messages.Add(sms);
                return ValueTask.CompletedTask;
            },
            OnReceipt = (receipt, _) =>
            {
                _receipts.Add(receipt);
                return ValueTask.CompletedTask;
            },
        };
    }

    [Fact]
    public async Task A_data_sm_carries_its_text_in_message_payload()
    {
        var dataSm = new DataSm
        {
            SourceAddrTon = 1, SourceAddr = "4915112345678", DestAddrTon = 1, DestinationAddr = "4940555000", DataCoding = 3,
            Tlvs = [new SmppTlv(SmppTlvTag.MessagePayload, Encoding.Latin1.GetBytes("Grüße"))],
        };

        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(dataSm, CancellationToken.None));

        var sms = Assert.Single(_messages);
        Assert.Equal(("+4915112345678", "+4940555000", "Grüße"), (sms.Source, sms.Destination, sms.Text));
    }

    [Fact]
    public async Task A_receipt_is_reported_with_the_submitted_form_of_its_id()
    {
        _submitted.Remember("2A0001");
        var receipt = Deliver(0x04, Encoding.ASCII.GetBytes("id:002a0001 sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:hi"));

        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(receipt, CancellationToken.None));

        Assert.Equal(new DeliveryReceipt("2A0001", DeliveryState.Delivered, "+4915112345678", "+4940555000"), Assert.Single(_receipts));
        Assert.Empty(_messages);
    }

    [Fact]
    public async Task A_receipt_without_an_id_is_acknowledged_and_dropped()
    {
        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(Deliver(0x04, Encoding.ASCII.GetBytes("nothing useful")), CancellationToken.None));

        Assert.Empty(_receipts);
    }

    [Fact]
    public async Task A_refusing_or_missing_handler_answers_a_temporary_error_so_the_smsc_retries()
    {
        var message = Deliver(0, GsmAlphabet.GetBytes("hello"));
        _handler.OnMessage = (_, _) => throw new IOException("disk full");
        Assert.Equal(SmppCommandStatus.TemporaryAppError, await _handler.HandleAsync(message, CancellationToken.None));

        _handler.OnMessage = null;
        Assert.Equal(SmppCommandStatus.TemporaryAppError, await _handler.HandleAsync(message, CancellationToken.None));

        _handler.OnReceipt = (_, _) => throw new IOException("disk full");
        Assert.Equal(SmppCommandStatus.TemporaryAppError, await _handler.HandleAsync(Deliver(0x04, Encoding.ASCII.GetBytes("id:1 stat:DELIVRD")), CancellationToken.None));
    }

    [Fact]
    public async Task Parts_before_the_last_are_acknowledged_when_held_and_the_last_only_when_the_message_was_taken()
    {
        var refuse = true;
        _handler.OnMessage = (sms, _) =>
        {
            if (refuse)
            {
                throw new IOException("not now");
            }

            _messages.Add(sms);
            return ValueTask.CompletedTask;
        };
        var first = Deliver(0x40, [5, 0, 3, 7, 2, 1, .. GsmAlphabet.GetBytes("Hello, ")]);
        var second = Deliver(0x40, [5, 0, 3, 7, 2, 2, .. GsmAlphabet.GetBytes("world")]);

        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(first, CancellationToken.None));
        Assert.Equal(SmppCommandStatus.TemporaryAppError, await _handler.HandleAsync(second, CancellationToken.None));
        refuse = false;
        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(second, CancellationToken.None));

        Assert.Equal("Hello, world", Assert.Single(_messages).Text);
        // A copy of the last part delivered again later is not a second message.
        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(second, CancellationToken.None));
        Assert.Single(_messages);
    }

    [Fact]
    public async Task Sar_parameters_join_parts_without_a_udh()
    {
        await _handler.HandleAsync(Sar(Deliver(0, GsmAlphabet.GetBytes("two")), 2), CancellationToken.None);
        await _handler.HandleAsync(Sar(Deliver(0, GsmAlphabet.GetBytes("one ")), 1), CancellationToken.None);

        Assert.Equal("one two", Assert.Single(_messages).Text);

        static DeliverSm Sar(DeliverSm pdu, byte sequence)
        {
            pdu.Tlvs = [SmppTlv.FromUInt16(SmppTlvTag.SarMessageReferenceNumber, 300), SmppTlv.FromByte(SmppTlvTag.SarTotalSegments, 2), SmppTlv.FromByte(SmppTlvTag.SarSegmentSequenceNumber, sequence)];
            return pdu;
        }
    }

    [Fact]
    public async Task A_message_missing_a_part_is_handed_over_after_the_timeout_and_retried_if_refused()
    {
        await _handler.HandleAsync(Deliver(0x40, [5, 0, 3, 9, 2, 1, .. GsmAlphabet.GetBytes("first half ")]), CancellationToken.None);
        var refuse = true;
        _handler.OnMessage = (sms, _) =>
        {
            if (refuse)
            {
                throw new IOException("not now");
            }

            _messages.Add(sms);
            return ValueTask.CompletedTask;
        };

        _clock.Advance(TimeSpan.FromSeconds(10));
        await _handler.DeliverExpiredAsync(CancellationToken.None);
        Assert.Empty(_messages);

        refuse = false;
        await _handler.DeliverExpiredAsync(CancellationToken.None);
        Assert.Equal("first half " + SmsReassembler.MissingPartMarker, Assert.Single(_messages).Text);
    }

    [Theory]
    [InlineData(5, "ceo@partner.ex/x")]
    [InlineData(5, "mary@a.example")]
    [InlineData(1, "alice")]
    [InlineData(2, "015112345678")] // national, and no country code configured
    public async Task A_source_that_is_no_number_and_no_sender_name_is_refused_with_invalid_source_address_and_never_handed_over(byte ton, string source)
    {
        using var refusals = new RefusalCounter();
        var pdu = Deliver(0, Encoding.ASCII.GetBytes("I am your CEO"));
        pdu.SourceAddrTon = ton;
        pdu.SourceAddr = source;

        Assert.Equal(SmppCommandStatus.InvalidSourceAddress, await _handler.HandleAsync(pdu, CancellationToken.None));
        await _handler.DeliverExpiredAsync(CancellationToken.None);

        Assert.Empty(_messages);
        Assert.Contains(_log.Lines, l => l.StartsWith("Warning 2038 ", StringComparison.Ordinal) && l.Contains(source, StringComparison.Ordinal));
        Assert.True(refusals.Sms >= 1, "the refusal is counted");
    }

    [Fact]
    public async Task Every_part_of_a_concatenated_sms_from_a_refused_source_is_refused_so_nothing_is_held()
    {
        for (byte part = 1; part <= 2; part++)
        {
            var pdu = Deliver(0x40, [5, 0, 3, 7, 2, part, .. Encoding.ASCII.GetBytes("part")]);
            pdu.SourceAddrTon = 5;
            pdu.SourceAddr = "a/b";
            Assert.Equal(SmppCommandStatus.InvalidSourceAddress, await _handler.HandleAsync(pdu, CancellationToken.None));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _handler.DeliverExpiredAsync(CancellationToken.None);
        Assert.Empty(_messages);
    }

    [Fact]
    public async Task An_alphanumeric_sender_is_handed_over_as_a_sender_name()
    {
        var pdu = Deliver(0, Encoding.ASCII.GetBytes("Your code is 1234"));
        pdu.SourceAddrTon = 5;
        pdu.SourceAddrNpi = 0;
        pdu.SourceAddr = "MyBank";

        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(pdu, CancellationToken.None));

        Assert.Equal("mybank\\40sms", Assert.Single(_messages).Source);
    }

    [Theory]
    [InlineData(new byte[] { 40, 0, 3, 7, 2, 1, 0x48, 0x69 })] // UDHL 40 overruns 8 octets
    [InlineData(new byte[] { 3, 0x24, 1, 0x41 })] // a header (a non-concatenation element) and no text
    [InlineData(new byte[] { 0 })] // UDHL 0 and nothing after it
    public async Task A_deliver_sm_whose_user_data_header_is_malformed_or_leaves_no_text_is_refused_and_never_delivered(byte[] userData)
    {
        var status = await _handler.HandleAsync(Deliver(0x40, userData), CancellationToken.None);

        Assert.Equal(SmppCommandStatus.InvalidEsmClass, status);
        await _handler.DeliverExpiredAsync(CancellationToken.None);
        Assert.Empty(_messages);
    }

    [Fact]
    public async Task A_header_with_an_unknown_element_is_removed_and_the_text_after_it_delivered()
    {
        Assert.Equal(SmppCommandStatus.Ok, await _handler.HandleAsync(Deliver(0x40, [3, 0x24, 1, 0x41, .. GsmAlphabet.GetBytes("Hi")]), CancellationToken.None));

        Assert.Equal("Hi", Assert.Single(_messages).Text);
    }

    private static DeliverSm Deliver(byte esmClass, byte[] userData) => new()
    {
        SourceAddrTon = 1,
        SourceAddrNpi = 1,
        SourceAddr = "4915112345678",
        DestAddrTon = 1,
        DestAddrNpi = 1,
        DestinationAddr = "4940555000",
        EsmClass = esmClass,
        ShortMessage = userData,
    };
}
