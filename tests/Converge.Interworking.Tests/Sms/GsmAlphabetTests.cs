using System.Text;
using Converge.Interworking.Sms.Text;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

public class GsmAlphabetTests
{
    /// <summary>The basic character set of TS 23.038 §6.2.1, row by row (septet 0x1B is ESC).</summary>
    private static readonly string[] BasicRows =
    [
        "@£$¥èéùìòÇ\nØø\rÅå",
        "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ",
        " !\"#¤%&'()*+,-./",
        "0123456789:;<=>?",
        "¡ABCDEFGHIJKLMNO",
        "PQRSTUVWXYZÄÖÑÜ§",
        "¿abcdefghijklmno",
        "pqrstuvwxyzäöñüà",
    ];

    public static TheoryData<char, byte> BasicCharacters()
    {
        var data = new TheoryData<char, byte>();
        for (var septet = 0; septet < 128; septet++)
        {
            if (septet != 0x1B)
            {
                data.Add(BasicRows[septet / 16][septet % 16], (byte)septet);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BasicCharacters))]
    public void Every_basic_character_is_one_septet_both_ways(char c, byte septet)
    {
        Assert.Equal(1, GsmAlphabet.SeptetCost(c));
        Assert.Equal([septet], GsmAlphabet.GetBytes(c.ToString()));
        Assert.Equal(c.ToString(), GsmAlphabet.GetString([septet]));
    }

    [Theory]
    [InlineData('\f', 0x0A)]
    [InlineData('^', 0x14)]
    [InlineData('{', 0x28)]
    [InlineData('}', 0x29)]
    [InlineData('\\', 0x2F)]
    [InlineData('[', 0x3C)]
    [InlineData('~', 0x3D)]
    [InlineData(']', 0x3E)]
    [InlineData('|', 0x40)]
    [InlineData('€', 0x65)]
    public void Every_extension_character_costs_two_septets_behind_escape(char c, byte code)
    {
        Assert.Equal(2, GsmAlphabet.SeptetCost(c));
        Assert.Equal([0x1B, code], GsmAlphabet.GetBytes(c.ToString()));
        Assert.Equal(c.ToString(), GsmAlphabet.GetString([0x1B, code]));
    }

    [Fact]
    public void A_mixed_text_round_trips_and_counts_extension_characters_twice()
    {
        const string text = "Preis: 5€ {inkl. [MwSt]} @Hamburg ~ Grüße | ok\\^";

        var septets = GsmAlphabet.GetBytes(text);

        Assert.Equal(text.Length + 9, septets.Length);
        Assert.Equal(septets.Length, GsmAlphabet.CountSeptets(text));
        Assert.Equal(text, GsmAlphabet.GetString(septets));
    }

    [Theory]
    [InlineData("ç")]          // only the capital Ç is in the alphabet
    [InlineData("Ελληνικά")]   // lower-case Greek
    [InlineData("`")]
    [InlineData("😀")]
    [InlineData("ñandú á")]
    public void Text_outside_the_alphabet_is_reported_not_replaced(string text)
    {
        Assert.Equal(-1, GsmAlphabet.CountSeptets(text));
        Assert.False(GsmAlphabet.CanEncode(text));
        Assert.Throws<ArgumentException>(() => GsmAlphabet.GetBytes(text));
    }

    [Fact]
    public void Unknown_escapes_show_the_basic_character_as_the_specification_asks()
    {
        // ESC 'A' is not in the extension table: shown as 'A'. ESC ESC and a trailing ESC: a space.
        Assert.Equal("xAy", GsmAlphabet.GetString([0x78, 0x1B, 0x41, 0x79]));
        Assert.Equal("x y", GsmAlphabet.GetString([0x78, 0x1B, 0x1B, 0x79]));
        Assert.Equal("x ", GsmAlphabet.GetString([0x78, 0x1B]));
        Assert.Equal("?", GsmAlphabet.GetString([0xC4]));
    }

    [Theory]
    [InlineData(0x00, "Gsm7")]
    [InlineData(0x01, "Gsm7")]
    [InlineData(0x03, "Latin1")]
    [InlineData(0x08, "Ucs2")]
    [InlineData(0x04, "Binary")]
    [InlineData(0x02, "Binary")]
    [InlineData(0x06, "Binary")]
    [InlineData(0x10, "Gsm7")]     // general group, class 0
    [InlineData(0x18, "Ucs2")]     // general group, UCS-2
    [InlineData(0xF0, "Gsm7")]     // data coding / message class group, default alphabet
    [InlineData(0xF4, "Binary")]
    [InlineData(0xE0, "Ucs2")]     // message waiting, UCS-2
    public void Data_coding_values_map_to_alphabets(byte dataCoding, string alphabet)
    {
        Assert.Equal(alphabet, SmsDataCoding.Classify(dataCoding).ToString());
    }

    [Fact]
    public void Ia5_is_read_as_gsm_unless_configured_as_ascii()
    {
        byte[] octets = [0x00, 0x24, 0x40];

        Assert.Equal("@¤¡", new SmsTextDecoder(ia5IsAscii: false).Decode(octets, 1));
        Assert.Equal("\0$@", new SmsTextDecoder(ia5IsAscii: true).Decode(octets, 1));
    }

    [Fact]
    public void Latin1_and_ucs2_with_emoji_decode()
    {
        Assert.Equal("Grüße ½", SmsTextDecoder.Default.Decode(Encoding.Latin1.GetBytes("Grüße ½"), 3));
        Assert.Equal("Hi 😀 Ω", SmsTextDecoder.Default.Decode(Hex.Bytes("0048 0069 0020 D83D DE00 0020 03A9"), 8));
        // An odd trailing octet is not half a character.
        Assert.Equal("H", SmsTextDecoder.Default.Decode(Hex.Bytes("0048 00"), 8));
    }
}
