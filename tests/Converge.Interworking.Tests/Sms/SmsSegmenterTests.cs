using System.Text;
using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Text;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

public class SmsSegmenterTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(305, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Gsm_text_fits_160_septets_alone_and_153_per_part(int length, int parts)
    {
        var segmentation = SmsSegmenter.Segment(new string('a', length), 7);

        Assert.Equal("GSM7", segmentation.Encoding);
        Assert.Equal(0, segmentation.DataCoding);
        Assert.Equal(parts, segmentation.Parts.Count);
        Assert.Equal(parts > 1, segmentation.HasUdh);
        if (parts > 1)
        {
            Assert.All(segmentation.Parts.SkipLast(1), p => Assert.Equal(6 + 153, p.Length));
        }

        Assert.Equal(new string('a', length), Reassemble(segmentation));
    }

    [Theory]
    [InlineData(152)]
    [InlineData(153)]
    [InlineData(154)]
    public void The_part_border_falls_at_153_septets(int leading)
    {
        // A long text whose first part border is probed around septet 153.
        var text = new string('x', leading) + new string('y', 200);

        var parts = SmsSegmenter.Segment(text, 1).Parts;

        var first = GsmAlphabet.GetString(parts[0].AsSpan(6));
        Assert.Equal(153, first.Length);
        Assert.Equal(text[..153], first);
    }

    [Fact]
    public void An_extension_character_at_a_part_border_moves_whole_to_the_next_part()
    {
        // 152 septets, then € (two septets): it would straddle the border at 153.
        var text = new string('a', 152) + "€" + new string('b', 100);

        var parts = SmsSegmenter.Segment(text, 1).Parts;

        Assert.Equal(6 + 152, parts[0].Length);
        Assert.NotEqual(0x1B, parts[0][^1]);
        Assert.Equal([0x1B, 0x65], parts[1][6..8]);
        Assert.Equal(text, Reassemble(SmsSegmenter.Segment(text, 1)));
    }

    [Fact]
    public void An_extension_character_that_ends_exactly_at_the_border_stays()
    {
        var text = new string('a', 151) + "€" + new string('b', 100);

        var parts = SmsSegmenter.Segment(text, 1).Parts;

        Assert.Equal(6 + 153, parts[0].Length);
        Assert.Equal([0x1B, 0x65], parts[0][^2..]);
    }

    [Fact]
    public void A_text_of_160_septets_with_extension_characters_counts_them_twice()
    {
        Assert.Single(SmsSegmenter.Segment(new string('a', 158) + "{", 1).Parts);
        Assert.Equal(2, SmsSegmenter.Segment(new string('a', 159) + "{", 1).Parts.Count);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2_text_fits_70_units_alone_and_67_per_part(int length, int parts)
    {
        var text = new string('Ж', length);

        var segmentation = SmsSegmenter.Segment(text, 3);

        Assert.Equal("UCS2", segmentation.Encoding);
        Assert.Equal(8, segmentation.DataCoding);
        Assert.Equal(parts, segmentation.Parts.Count);
        if (parts > 1)
        {
            Assert.All(segmentation.Parts.SkipLast(1), p => Assert.Equal(6 + 134, p.Length));
        }

        Assert.Equal(text, Reassemble(segmentation));
    }

    [Fact]
    public void A_surrogate_pair_at_a_part_border_is_never_split()
    {
        // 66 units, then an emoji (two units) across the border at 67.
        var text = new string('Ж', 66) + "😀" + new string('Ж', 30);

        var segmentation = SmsSegmenter.Segment(text, 3);

        Assert.Equal(6 + 132, segmentation.Parts[0].Length);
        Assert.Equal(Hex.Bytes("D83D DE00"), segmentation.Parts[1][6..10]);
        Assert.All(segmentation.Parts, p => Assert.DoesNotContain('\uFFFD', Encoding.BigEndianUnicode.GetString(p.AsSpan(6))));
        Assert.Equal(text, Reassemble(segmentation));
    }

    [Fact]
    public void One_character_outside_gsm_makes_the_whole_text_ucs2()
    {
        var segmentation = SmsSegmenter.Segment("Hello 😀", 1);

        Assert.Equal("UCS2", segmentation.Encoding);
        Assert.Equal(Hex.Bytes("0048 0065 006C 006C 006F 0020 D83D DE00"), segmentation.Parts[0]);
    }

    [Fact]
    public void Every_part_carries_the_8_bit_reference_total_and_its_number()
    {
        var parts = SmsSegmenter.Segment(new string('a', 400), 0x1A5).Parts;

        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal([0x05, 0x00, 0x03, 0xA5, 3, (byte)(i + 1)], parts[i][..6]);
        }
    }

    [Fact]
    public void The_16_bit_reference_takes_a_7_octet_header_and_152_septets_or_66_units()
    {
        var gsm = SmsSegmenter.Segment(new string('a', 400), 0x1234, use16BitReference: true).Parts;
        var ucs2 = SmsSegmenter.Segment(new string('Ж', 140), 0x1234, use16BitReference: true).Parts;

        Assert.Equal([0x06, 0x08, 0x04, 0x12, 0x34, 3, 1], gsm[0][..7]);
        Assert.Equal(7 + 152, gsm[0].Length);
        Assert.Equal(3, ucs2.Count);
        Assert.Equal(7 + 132, ucs2[0].Length);
    }

    [Fact]
    public void A_configured_data_coding_labels_gsm_text()
    {
        Assert.Equal(1, SmsSegmenter.Segment("hi", 1, gsmDataCoding: 1).DataCoding);
        Assert.Equal(8, SmsSegmenter.Segment("ΣΩ ω", 1, gsmDataCoding: 1).DataCoding);
    }

    [Fact]
    public void Text_that_cannot_be_sent_is_refused_with_a_clear_reason()
    {
        var unpaired = Assert.Throws<ArgumentException>(() => SmsSegmenter.Segment("broken \uD83D text", 1));
        Assert.Contains("unpaired surrogate", unpaired.Message, StringComparison.Ordinal);

        var tooLong = Assert.Throws<ArgumentException>(() => SmsSegmenter.Segment(new string('a', 153 * 255 + 1), 1));
        Assert.Contains("at most 255", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(255, SmsSegmenter.Segment(new string('a', 153 * 255), 1).Parts.Count);
    }

    private static string Reassemble(SmsSegmentation segmentation) => string.Concat(segmentation.Parts.Select(p =>
    {
        var payload = segmentation.HasUdh ? p.AsSpan(p[0] + 1) : p;
        return segmentation.Encoding == "GSM7" ? GsmAlphabet.GetString(payload) : Encoding.BigEndianUnicode.GetString(payload);
    }));
}
