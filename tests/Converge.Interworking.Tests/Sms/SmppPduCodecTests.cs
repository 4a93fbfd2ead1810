using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

public class SmppPduCodecTests
{
    /// <summary>
    /// The 60-octet submit_sm example that accompanies the SMPP 3.4 PDU format (header, then
    /// service_type "", 2/8 "555", 1/1 "555555555", flags 0, sm_length 15 "Hello wikipedia").
    /// </summary>
    private const string SubmitSmExample =
        "00 00 00 3C 00 00 00 04 00 00 00 00 00 00 00 05 00 02 08 35 35 35 00 01 01" +
        "35 35 35 35 35 35 35 35 35 00 00 00 00 00 00 00 00 00 00 0F 48 65 6C 6C 6F" +
        "20 77 69 6B 69 70 65 64 69 61";

    [Fact]
    public void The_specification_submit_sm_example_parses_field_by_field()
    {
        var pdu = ReadOne(Hex.Bytes(SubmitSmExample));

        var submit = Assert.IsType<SubmitSm>(pdu);
        Assert.Equal(5u, submit.SequenceNumber);
        Assert.Equal(SmppCommandStatus.Ok, submit.CommandStatus);
        Assert.Equal("", submit.ServiceType);
        Assert.Equal((2, 8, "555"), (submit.SourceAddrTon, submit.SourceAddrNpi, submit.SourceAddr));
        Assert.Equal((1, 1, "555555555"), (submit.DestAddrTon, submit.DestAddrNpi, submit.DestinationAddr));
        Assert.Equal(0, submit.EsmClass | submit.ProtocolId | submit.PriorityFlag | submit.RegisteredDelivery | submit.DataCoding);
        Assert.Equal("Hello wikipedia", Encoding.ASCII.GetString(submit.ShortMessage.Span));
        Assert.Empty(submit.Tlvs);
    }

    [Fact]
    public void The_specification_submit_sm_example_is_written_byte_for_byte()
    {
        var submit = new SubmitSm
        {
            SequenceNumber = 5,
            SourceAddrTon = 2,
            SourceAddrNpi = 8,
            SourceAddr = "555",
            DestAddrTon = 1,
            DestAddrNpi = 1,
            DestinationAddr = "555555555",
            ShortMessage = Encoding.ASCII.GetBytes("Hello wikipedia"),
        };

        Assert.Equal(Hex.Bytes(SubmitSmExample), SmppPduWriter.ToArray(submit));
    }

    [Fact]
    public void Enquire_link_is_a_bare_16_octet_header()
    {
        Assert.Equal(Hex.Bytes("00000010 00000015 00000000 00000007"), SmppPduWriter.ToArray(new EnquireLink { SequenceNumber = 7 }));
        Assert.Equal(Hex.Bytes("00000010 80000015 00000000 00000007"), SmppPduWriter.ToArray(new EnquireLinkResp { SequenceNumber = 7 }));
        Assert.Equal(Hex.Bytes("00000010 00000006 00000000 00000002"), SmppPduWriter.ToArray(new Unbind { SequenceNumber = 2 }));
        Assert.Equal(Hex.Bytes("00000010 80000000 00000003 00000009"), SmppPduWriter.ToArray(new GenericNack { SequenceNumber = 9, CommandStatus = SmppCommandStatus.InvalidCommandId }));
    }

    [Fact]
    public void Bind_transceiver_carries_its_fields_in_specification_order()
    {
        var bind = new BindTransceiver { SequenceNumber = 1, SystemId = "conv-a", Password = "secret", SystemType = "" };

        var expected = Hex.Bytes(
            "00000023 00000009 00000000 00000001" +
            "636F6E762D6100" + // system_id "conv-a"
            "73656372657400" + // password "secret"
            "00" +             // system_type ""
            "34 00 00" +       // interface_version 3.4, addr_ton, addr_npi
            "00");             // address_range ""
        Assert.Equal(expected, SmppPduWriter.ToArray(bind));
    }

    public static TheoryData<string> PduTypes => [.. Samples().Select(p => p.GetType().Name)];

    private static SmppPdu Sample(string type) => Samples().Single(p => p.GetType().Name == type);

    private static List<SmppPdu> Samples() =>
    [
        new BindTransceiver { SequenceNumber = 1, SystemId = "conv-a", Password = "secret", SystemType = "IWF", AddrTon = 1, AddrNpi = 1, AddressRange = "49.*" },
        new BindTransmitter { SequenceNumber = 2, SystemId = "tx", Password = "p" },
        new BindReceiver { SequenceNumber = 3, SystemId = "rx", Password = "p" },
        new BindTransceiverResp { SequenceNumber = 1, SystemId = "SMSC", Tlvs = [SmppTlv.FromByte(SmppTlvTag.ScInterfaceVersion, 0x34)] },
        new BindTransmitterResp { SequenceNumber = 2, SystemId = "SMSC" },
        new BindReceiverResp { SequenceNumber = 3, SystemId = "SMSC" },
        new Unbind { SequenceNumber = 4 },
        new UnbindResp { SequenceNumber = 4 },
        new EnquireLink { SequenceNumber = 5 },
        new EnquireLinkResp { SequenceNumber = 5 },
        new GenericNack { SequenceNumber = 6, CommandStatus = SmppCommandStatus.InvalidCommandLength },
        new SubmitSm
        {
            SequenceNumber = 7, SourceAddrTon = 1, SourceAddrNpi = 1, SourceAddr = "4940555000", DestAddrTon = 1, DestAddrNpi = 1,
            DestinationAddr = "4915112345678", EsmClass = 0x40, RegisteredDelivery = 1, DataCoding = 8, ShortMessage = new byte[] { 5, 0, 3, 9, 2, 1, 0, 0x41 },
            Tlvs = [SmppTlv.FromUInt16(SmppTlvTag.UserMessageReference, 77)],
        },
        new SubmitSmResp { SequenceNumber = 7, MessageId = "2a0001" },
        new DeliverSm
        {
            SequenceNumber = 8, SourceAddrTon = 1, SourceAddrNpi = 1, SourceAddr = "4915112345678", DestAddrTon = 1, DestAddrNpi = 1,
            DestinationAddr = "4940555000", EsmClass = 0x04, ShortMessage = Encoding.ASCII.GetBytes("id:2a0001 stat:DELIVRD"),
            Tlvs = [SmppTlv.FromCString(SmppTlvTag.ReceiptedMessageId, "2a0001"), SmppTlv.FromByte(SmppTlvTag.MessageState, 2)],
        },
        new DeliverSmResp { SequenceNumber = 8 },
        new DataSm
        {
            SequenceNumber = 9, SourceAddrTon = 1, SourceAddrNpi = 1, SourceAddr = "4915112345678", DestinationAddr = "4940555000",
            DataCoding = 3, Tlvs = [new SmppTlv(SmppTlvTag.MessagePayload, Encoding.Latin1.GetBytes("Grüße"))],
        },
        new DataSmResp { SequenceNumber = 9, MessageId = "x" },
    ];

    [Theory]
    [MemberData(nameof(PduTypes))]
    public void Every_pdu_type_reads_back_what_was_written(string type)
    {
        var original = Sample(type);
        var bytes = SmppPduWriter.ToArray(original);
        Assert.Equal(bytes.Length, BinaryPrimitives.ReadInt32BigEndian(bytes));

        var read = ReadOne(bytes);

        Assert.IsType(original.GetType(), read);
        Assert.Equal(bytes, SmppPduWriter.ToArray(read));
    }

    [Fact]
    public void A_stream_of_pdus_split_at_every_point_reads_the_same_pdus_and_never_consumes_a_partial_one()
    {
        var stream = Samples().Select(SmppPduWriter.ToArray).SelectMany(b => b).ToArray();
        var expected = ReadAll(SegmentedSequence.Create(stream)).Select(SmppPduWriter.ToArray).ToList();
        Assert.Equal(Samples().Count, expected.Count);

        for (var cut = 1; cut < stream.Length; cut++)
        {
            Assert.Equal(expected, ReadAll(SegmentedSequence.Split(stream, cut)).Select(SmppPduWriter.ToArray));
        }

        // Three segments: every pair of cuts inside the first submit_sm and what follows it.
        var first = SmppPduWriter.ToArray(Sample(nameof(SubmitSm)));
        for (var a = 1; a < first.Length; a++)
        {
            for (var b = a + 1; b < first.Length + 8; b++)
            {
                var pdu = ReadOne(SegmentedSequence.Split([.. first, .. Hex.Bytes("00000010 00000015 00000000 00000001")], a, b));
                Assert.Equal(first, SmppPduWriter.ToArray(pdu));
            }
        }
    }

    [Fact]
    public void An_incomplete_pdu_is_left_in_the_buffer()
    {
        var bytes = Hex.Bytes(SubmitSmExample);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = SegmentedSequence.Create(bytes[..length]);
            Assert.False(SmppPduReader.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [InlineData("0000000F 00000015 00000000 00000001", "shorter than the 16-octet header")]
    [InlineData("00000000", "shorter than the 16-octet header")]
    [InlineData("00010001", "exceeds the limit")]
    [InlineData("FFFFFFFF 00000004", "exceeds the limit")]
    public void A_command_length_out_of_bounds_is_a_framing_error(string hex, string reason)
    {
        var buffer = SegmentedSequence.Create(Hex.Bytes(hex));

        var error = Assert.Throws<SmppFramingException>(() => SmppPduReader.TryRead(ref buffer, out _));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_framing_error_reports_the_sequence_number_when_the_header_is_there()
    {
        var buffer = SegmentedSequence.Create(Hex.Bytes("0000000C 00000015 00000000 0000002A"));

        var error = Assert.Throws<SmppFramingException>(() => SmppPduReader.TryRead(ref buffer, out _));

        Assert.Equal(42u, error.SequenceNumber);
    }

    [Fact]
    public void The_largest_allowed_command_length_is_accepted()
    {
        var body = new byte[SmppPduReader.DefaultMaxCommandLength - 16];
        var buffer = SegmentedSequence.Create(Frame(0x12345678, 3, body));

        Assert.True(SmppPduReader.TryRead(ref buffer, out var pdu));
        Assert.Equal(SmppCommandStatus.InvalidCommandId, Assert.IsType<MalformedPdu>(pdu).Error);
    }

    public static TheoryData<string, byte[], uint> MalformedBodies() => new()
    {
        { "unknown command_id", Frame(0x00000777, 11, []), (uint)SmppCommandStatus.InvalidCommandId },
        { "enquire_link with a body", Frame(0x00000015, 11, [0]), (uint)SmppCommandStatus.InvalidCommandLength },
        { "C-string without NUL", Frame(0x00000005, 11, Encoding.ASCII.GetBytes("CMT")), (uint)SmppCommandStatus.InvalidCommandLength },
        { "body ends inside the mandatory part", Frame(0x00000005, 11, DeliverSmBody()[..20]), (uint)SmppCommandStatus.InvalidCommandLength },
        { "sm_length past the end", Frame(0x00000005, 11, [.. DeliverSmBody()[..^6], 200, 0x41]), (uint)SmppCommandStatus.InvalidMessageLength },
        { "TLV header cut off", Frame(0x00000005, 11, [.. DeliverSmBody(), 0x04, 0x27, 0x00]), (uint)SmppCommandStatus.InvalidOptionalParameterStream },
        { "TLV value cut off", Frame(0x00000005, 11, [.. DeliverSmBody(), 0x00, 0x1E, 0x00, 0x09, 0x31, 0x32]), (uint)SmppCommandStatus.InvalidOptionalParameterStream },
        { "message_state of two octets", Frame(0x00000005, 11, [.. DeliverSmBody(), 0x04, 0x27, 0x00, 0x02, 0x00, 0x02]), (uint)SmppCommandStatus.InvalidParameterLength },
        { "source_addr of 21 digits", Frame(0x00000005, 11, [0, 1, 1, .. Encoding.ASCII.GetBytes(new string('1', 21)), 0, .. DeliverSmBody()[17..]]), (uint)SmppCommandStatus.InvalidSourceAddress },
        { "message_id of 65 characters", Frame(0x80000004, 11, [.. Encoding.ASCII.GetBytes(new string('a', 65)), 0]), (uint)SmppCommandStatus.InvalidMessageId },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void A_malformed_body_is_read_as_a_malformed_pdu_with_the_status_to_nack(string what, byte[] frame, uint status)
    {
        var buffer = SegmentedSequence.Create([.. frame, .. Hex.Bytes("00000010 00000015 00000000 0000000C")]);

        Assert.True(SmppPduReader.TryRead(ref buffer, out var pdu), what);
        var malformed = Assert.IsType<MalformedPdu>(pdu);
        Assert.Equal((SmppCommandStatus)status, malformed.Error);
        Assert.Equal(11u, malformed.SequenceNumber);

        // The frame was consumed whole: the next PDU reads normally.
        Assert.True(SmppPduReader.TryRead(ref buffer, out var next));
        Assert.IsType<EnquireLink>(next);
    }

    [Fact]
    public void An_error_response_without_a_body_is_accepted()
    {
        var pdu = ReadOne(Hex.Bytes("00000010 80000004 00000058 00000003"));

        var response = Assert.IsType<SubmitSmResp>(pdu);
        Assert.Equal(SmppCommandStatus.Throttled, response.CommandStatus);
        Assert.Equal("", response.MessageId);
    }

    [Fact]
    public void A_deliver_sm_with_message_payload_exposes_it_as_user_data()
    {
        var payload = Encoding.ASCII.GetBytes("long text");
        var deliver = new DeliverSm { SequenceNumber = 1, Tlvs = [new SmppTlv(SmppTlvTag.MessagePayload, payload)] };

        var read = Assert.IsType<DeliverSm>(ReadOne(SmppPduWriter.ToArray(deliver)));

        Assert.Equal(payload, read.UserData.ToArray());
    }

    [Fact]
    public void Writing_rejects_fields_longer_than_smpp_allows_without_echoing_the_password()
    {
        var bind = new BindTransceiver { SystemId = "conv-a", Password = "much-too-long-secret" };

        var error = Assert.Throws<ArgumentException>(bind.Validate);

        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("much-too-long-secret", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A deliver_sm body: "", 1/1 "4915112345678", 1/1 "4940555000", flags, sm_length 5 "Hello".</summary>
    private static byte[] DeliverSmBody() =>
    [
        0, 1, 1, .. Encoding.ASCII.GetBytes("4915112345678"), 0, 1, 1, .. Encoding.ASCII.GetBytes("4940555000"), 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 5, .. Encoding.ASCII.GetBytes("Hello"),
    ];

    private static byte[] Frame(uint commandId, uint sequence, byte[] body)
    {
        var frame = new byte[16 + body.Length];
        new SmppHeader((uint)frame.Length, commandId, 0, sequence).Write(frame);
        body.CopyTo(frame, 16);
        return frame;
    }

    private static SmppPdu ReadOne(byte[] bytes) => ReadOne(SegmentedSequence.Create(bytes));

    private static SmppPdu ReadOne(ReadOnlySequence<byte> buffer)
    {
        Assert.True(SmppPduReader.TryRead(ref buffer, out var pdu));
        return pdu;
    }

    private static List<SmppPdu> ReadAll(ReadOnlySequence<byte> buffer)
    {
        var pdus = new List<SmppPdu>();
        while (SmppPduReader.TryRead(ref buffer, out var pdu))
        {
            pdus.Add(pdu);
        }

        Assert.Equal(0, buffer.Length);
        return pdus;
    }
}
