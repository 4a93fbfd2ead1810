using System.Text;
using Converge.Interworking.Sms;
using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Text;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

public class SmsReassemblerTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SmppLimits _limits = new() { ReassemblyTimeout = TimeSpan.FromSeconds(30), MaxPendingReassemblies = 3 };

    [Fact]
    public void Parts_arriving_out_of_order_complete_in_order()
    {
        var reassembler = NewReassembler();
        var parts = Parts("Hello, this is one long message", 3, reference: 42);

        Assert.Equal(ReassemblyOutcome.Pending, reassembler.Add(parts[2]).Outcome);
        Assert.Equal(ReassemblyOutcome.Pending, reassembler.Add(parts[0]).Outcome);
        var done = reassembler.Add(parts[1]);

        Assert.Equal(ReassemblyOutcome.Complete, done.Outcome);
        Assert.Equal("Hello, this is one long message", done.Message!.Text);
        Assert.Equal(0, done.Message.MissingParts);
    }

    [Fact]
    public void A_duplicate_part_is_ignored()
    {
        var reassembler = NewReassembler();
        var parts = Parts("abcdef", 2, reference: 1);

        reassembler.Add(parts[0]);
        Assert.Equal(ReassemblyOutcome.Duplicate, reassembler.Add(parts[0]).Outcome);
        Assert.Equal("abcdef", reassembler.Add(parts[1]).Message!.Text);
    }

    [Fact]
    public void A_released_message_treats_late_copies_of_its_parts_as_duplicates()
    {
        var reassembler = NewReassembler();
        var parts = Parts("abcdef", 2, reference: 1);
        reassembler.Add(parts[0]);
        var done = reassembler.Add(parts[1]);

        reassembler.Release(done.Message!.Key);

        Assert.Equal(ReassemblyOutcome.Duplicate, reassembler.Add(parts[1]).Outcome);
        Assert.Equal(0, reassembler.PendingCount);
    }

    [Fact]
    public void A_complete_message_not_yet_released_completes_again_when_its_last_part_is_redelivered()
    {
        var reassembler = NewReassembler();
        var parts = Parts("abcdef", 2, reference: 1);
        reassembler.Add(parts[0]);
        reassembler.Add(parts[1]);

        var again = reassembler.Add(parts[1]);

        Assert.Equal(ReassemblyOutcome.Complete, again.Outcome);
        Assert.Equal("abcdef", again.Message!.Text);
    }

    [Fact]
    public void Missing_parts_are_marked_after_the_timeout_and_what_arrived_is_delivered()
    {
        var reassembler = NewReassembler();
        var parts = Parts("aaabbbccc", 3, reference: 9);
        reassembler.Add(parts[0]);
        reassembler.Add(parts[2]);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(reassembler.TakeExpired());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.Single(reassembler.TakeExpired());

        Assert.Equal("aaa" + SmsReassembler.MissingPartMarker + "ccc", expired.Text);
        Assert.Equal(1, expired.MissingParts);
        Assert.Empty(reassembler.TakeExpired());
        Assert.Equal(0, reassembler.PendingCount);
    }

    [Fact]
    public void Memory_is_bounded_by_delivering_the_oldest_incomplete_message()
    {
        var reassembler = NewReassembler();
        for (var reference = 1; reference <= 4; reference++)
        {
            reassembler.Add(Parts("xxyy", 2, reference)[0]);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, reassembler.PendingCount);
        var evicted = Assert.Single(reassembler.TakeExpired());
        Assert.Equal(1, evicted.Key.Reference);
        Assert.Equal("xx" + SmsReassembler.MissingPartMarker, evicted.Text);
    }

    [Fact]
    public void References_are_kept_apart_per_sender_recipient_and_width()
    {
        var reassembler = NewReassembler();
        var fromPeter = Parts("peter-1-", 2, reference: 5, source: "+4915100000001");
        var fromJohn = Parts("john--2-", 2, reference: 5, source: "+4915100000002");
        var sixteen = Parts("sixteen!", 2, reference: 5, source: "+4915100000001", kind: ConcatenationSource.Udh16);

        reassembler.Add(fromPeter[0]);
        reassembler.Add(fromJohn[0]);
        reassembler.Add(sixteen[0]);

        Assert.Equal("peter-1-", reassembler.Add(fromPeter[1]).Message!.Text);
        Assert.Equal("john--2-", reassembler.Add(fromJohn[1]).Message!.Text);
        Assert.Equal("sixteen!", reassembler.Add(sixteen[1]).Message!.Text);
    }

    [Fact]
    public void Ucs2_parts_are_decoded_together_so_a_sender_that_split_a_surrogate_pair_is_mended()
    {
        var reassembler = NewReassembler();
        var bytes = Encoding.BigEndianUnicode.GetBytes("ab😀cd");
        var first = new SmsPart("+4915100000001", "+4940555000", new ConcatenationInfo(3, 2, 1, ConcatenationSource.Udh8), 8, bytes[..6]);
        var second = new SmsPart("+4915100000001", "+4940555000", new ConcatenationInfo(3, 2, 2, ConcatenationSource.Udh8), 8, bytes[6..]);

        reassembler.Add(first);

        Assert.Equal("ab😀cd", reassembler.Add(second).Message!.Text);
    }

    [Fact]
    public void A_part_without_concatenation_or_with_nonsense_numbers_is_a_message_by_itself()
    {
        var reassembler = NewReassembler();
        var plain = new SmsPart("+4915100000001", "+4940555000", null, 0, GsmAlphabet.GetBytes("hi"));
        var nonsense = new SmsPart("+4915100000001", "+4940555000", new ConcatenationInfo(1, 2, 3, ConcatenationSource.Udh8), 0, GsmAlphabet.GetBytes("yo"));

        Assert.Equal("hi", reassembler.Add(plain).Message!.Text);
        Assert.Equal("yo", reassembler.Add(nonsense).Message!.Text);
        Assert.Equal(0, reassembler.PendingCount);
    }

    [Fact]
    public void The_udh_concatenation_element_is_found_among_others()
    {
        // Port addressing (IEI 0x05) first, then the 16-bit concatenation element.
        var header = Hex.Bytes("0C 05 04 0B84 23F0 08 04 BEEF 03 02");

        var info = UserDataHeader.FindConcatenation(header);

        Assert.Equal(new ConcatenationInfo(0xBEEF, 3, 2, ConcatenationSource.Udh16), info);
        Assert.Null(UserDataHeader.FindConcatenation(Hex.Bytes("05 00 03 01 02 00")));
    }

    private SmsReassembler NewReassembler() => new(_limits, SmsTextDecoder.Default, _clock);

    private static List<SmsPart> Parts(string text, int count, int reference, string source = "+4915100000001", ConcatenationSource kind = ConcatenationSource.Udh8)
    {
        var size = (text.Length + count - 1) / count;
        return [.. Enumerable.Range(0, count).Select(i => new SmsPart(
            source,
            "+4940555000",
            new ConcatenationInfo(reference, count, i + 1, kind),
            0,
            GsmAlphabet.GetBytes(text.Substring(i * size, Math.Min(size, text.Length - (i * size))))))];
    }
}
