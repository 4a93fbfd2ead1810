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
    [InlineData("2a0001", "2752513", true)]    // hex in the response, decimal in the receipt
    [InlineData("2752513", "2A0001", true)]    // and the other way round
    [InlineData("00ABC", "abc", true)]         // leading zeros, case
    [InlineData("10", "10", true)]
    [InlineData("10", "16", true)]             // "10" read as hex is 16
    [InlineData("12", "13", false)]
    [InlineData("msg-1", "msg-2", false)]
    [InlineData("", "0", false)]
    public void Message_ids_match_across_hex_and_decimal(string a, string b, bool same)
    {
        Assert.Equal(same, SmppMessageId.AreSame(a, b));
        Assert.Equal(same, SmppMessageId.AreSame(b, a));
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
    public void A_receipt_id_resolves_to_the_form_the_submission_gave_preferring_the_exact_one()
    {
        var ids = new SubmittedMessageIds(capacity: 3);
        ids.Remember("2a0001");
        ids.Remember("16");
        ids.Remember("10");

        Assert.Equal("2a0001", ids.Resolve("2752513"));
        Assert.Equal("2a0001", ids.Resolve("002A0001"));
        Assert.Equal("10", ids.Resolve("10"));
        Assert.Equal("unknown-id", ids.Resolve("unknown-id"));

        // Bounded: the oldest id is forgotten, and its receipt keeps the receipt's own form.
        ids.Remember("ffff");
        Assert.Equal("2752513", ids.Resolve("2752513"));
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
