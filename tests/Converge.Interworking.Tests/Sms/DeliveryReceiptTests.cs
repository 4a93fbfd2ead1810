using System.Text;
using Converge.Interworking.Sms;
using Converge.Interworking.Sms.Pdus;

namespace Converge.Interworking.Tests.Sms;

public class DeliveryReceiptTests
{
    [Fact]
    public void The_tlvs_give_id_and_state_when_present()
    {
        var parsed = DeliveryReceiptParser.Parse(
            SmppTlv.FromCString(SmppTlvTag.ReceiptedMessageId, "2a0001"),
            SmppTlv.FromByte(SmppTlvTag.MessageState, 5),
            "id:ffff stat:DELIVRD");

        Assert.Equal(("2a0001", DeliveryState.Undeliverable), parsed);
    }

    [Theory]
    [InlineData("id:0123456789 sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:Hello", "0123456789", DeliveryState.Delivered)]
    [InlineData("id:1a2b3c sub:001 dlvrd:000 submit date:2501011200 done date:2501011201 stat:UNDELIV err:001 Text:Hello id:xyz", "1a2b3c", DeliveryState.Undeliverable)]
    [InlineData("ID:77 STAT:expired", "77", DeliveryState.Expired)]
    [InlineData("stat:REJECTD err:011 id:9f", "9f", DeliveryState.Rejected)]
    [InlineData("id:5", "5", DeliveryState.Unknown)]
    public void The_receipt_text_gives_id_and_state_in_any_case_and_order(string text, string id, DeliveryState state)
    {
        Assert.Equal((id, state), DeliveryReceiptParser.Parse(null, null, text));
    }

    [Theory]
    [InlineData(1, "ENROUTE")]
    [InlineData(2, "DELIVRD")]
    [InlineData(3, "EXPIRED")]
    [InlineData(4, "DELETED")]
    [InlineData(5, "UNDELIV")]
    [InlineData(6, "ACCEPTD")]
    [InlineData(7, "UNKNOWN")]
    [InlineData(8, "REJECTD")]
    [InlineData(0, "UNKNOWN")]
    [InlineData(9, "UNKNOWN")]
    public void A_message_state_tlv_is_the_state_the_receipt_text_spells(byte messageState, string word)
    {
        var fromTlv = DeliveryReceiptParser.Parse(null, SmppTlv.FromByte(SmppTlvTag.MessageState, messageState), "id:1")!.Value.State;

        Assert.Equal(DeliveryReceiptParser.Parse(null, null, "id:1 stat:" + word)!.Value.State, fromTlv);
        Assert.Equal(word, DeliveryReceiptParser.Word(fromTlv));
    }

    [Fact]
    public void The_text_fills_in_what_the_tlvs_leave_out()
    {
        var parsed = DeliveryReceiptParser.Parse(SmppTlv.FromCString(SmppTlvTag.ReceiptedMessageId, "abc"), null, "id:999 stat:DELIVRD");

        Assert.Equal(("abc", DeliveryState.Delivered), parsed);
    }

    [Fact]
    public void A_receipt_without_any_id_is_not_a_receipt()
    {
        Assert.Null(DeliveryReceiptParser.Parse(null, SmppTlv.FromByte(SmppTlvTag.MessageState, 2), "stat:DELIVRD"));
    }

    [Fact]
    public void A_receipted_message_id_without_terminating_nul_is_tolerated()
    {
        var tlv = new SmppTlv(SmppTlvTag.ReceiptedMessageId, Encoding.ASCII.GetBytes("42"));

        Assert.Equal("42", tlv.AsCString());
    }

    [Theory]
    [InlineData("00ABC", "abc", true)]         // leading zeros, case
    [InlineData("10", "10", true)]
    [InlineData("10", "16", false)]            // "10" read as hex is 16, but no base is configured: no guessing
    [InlineData("2a0001", "2752513", false)]
    [InlineData("12", "13", false)]
    [InlineData("msg-1", "msg-2", false)]
    [InlineData("", "0", false)]
    public void Message_ids_are_compared_as_written_unless_the_receipt_base_is_configured(string a, string b, bool same)
    {
        Assert.Equal(same, SmppMessageId.AreSame(a, b));
        Assert.Equal(same, SmppMessageId.AreSame(b, a));
    }

    [Theory]
    [InlineData("16", "10", SmppReceiptIdBase.Same, false)]    // the case: a receipt for "10" is not one for "16"
    [InlineData("16", "10", SmppReceiptIdBase.Decimal, false)] // "16" was hex (22); the receipt's decimal 10 is 0xa
    [InlineData("16", "22", SmppReceiptIdBase.Decimal, true)]
    [InlineData("16", "16", SmppReceiptIdBase.Decimal, false)] // decimal 16 is 0x10, not 0x16
    [InlineData("2a0001", "2752513", SmppReceiptIdBase.Decimal, true)]
    [InlineData("16", "10", SmppReceiptIdBase.Hex, true)]      // "16" was decimal; the receipt's hex 10 is 16
    [InlineData("10", "16", SmppReceiptIdBase.Hex, false)]
    [InlineData("2752513", "2A0001", SmppReceiptIdBase.Hex, true)]
    [InlineData("msg-1", "MSG-1", SmppReceiptIdBase.Decimal, true)] // not a number in that base: compared as written
    public void A_receipt_id_is_read_in_the_configured_base_only(string submitted, string receipt, SmppReceiptIdBase receiptBase, bool same)
    {
        Assert.Equal(same, SmppMessageId.AreSame(submitted, receipt, receiptBase));
    }

    [Theory]
    [InlineData("00ABC", "abc")]
    [InlineData(" 2A0001 ", "2a0001")]
    [InlineData("000", "0")]
    public void A_normalized_message_id_ignores_case_leading_zeros_and_blanks(string id, string key)
    {
        Assert.Equal(key, SmppMessageId.Normalize(id));
    }

    [Fact]
    public void A_receipt_for_10_does_not_resolve_to_the_submitted_id_16_when_no_base_is_configured()
    {
        var ids = new SubmittedMessageIds(capacity: 3);
        ids.Remember("16");

        Assert.Equal("10", ids.Resolve("10"));
        Assert.Equal("16", ids.Resolve("016"));
    }

    [Fact]
    public void A_receipt_id_resolves_to_the_form_the_submission_gave_in_the_configured_base()
    {
        var ids = new SubmittedMessageIds(capacity: 3, SmppReceiptIdBase.Decimal);
        ids.Remember("2a0001");
        ids.Remember("16");
        ids.Remember("10");

        Assert.Equal("2a0001", ids.Resolve("2752513"));
        Assert.Equal("16", ids.Resolve("22"));
        Assert.Equal("10", ids.Resolve("16"));
        Assert.Equal("a", ids.Resolve("10"));          // 0xa was never submitted: reported in the submitted base
        Assert.Equal("unknown-id", ids.Resolve("unknown-id"));

        // Bounded: the oldest id is forgotten; its receipt is still converted to the submitted base.
        ids.Remember("ffff");
        Assert.Equal("2a0001", SmppMessageId.Normalize(ids.Resolve("2752513")));
    }

    [Fact]
    public void Addresses_sent_are_international_e164_without_the_plus()
    {
        Assert.Equal(new SmsAddress(1, 1, "4915112345678"), SmsAddress.ForDestination("+4915112345678"));
        Assert.Equal(new SmsAddress(5, 0, "Converge"), SmsAddress.ForSource("Converge"));
        Assert.Throws<ArgumentException>(() => SmsAddress.ForDestination("015112345678"));
        Assert.Throws<ArgumentException>(() => SmsAddress.ForSource("+49 151"));
        Assert.Throws<ArgumentException>(() => SmsAddress.ForSource("far-too-long-sender"));
    }
}
