using System.Buffers;
using Converge.Xmpp.Xml;
using static Converge.Xmpp.Tests.Xml.ParserHarness;

namespace Converge.Xmpp.Tests.Xml;

/// <summary>Each malformed input is rejected with the exact RFC 6120 condition, whether it arrives whole or byte by byte.</summary>
public sealed class XmppStreamParserErrorTests
{
    private const string H = Header;

    public static TheoryData<string, byte[], string> Corpus() => new()
    {
        // restricted-xml
        { "doctype before header", Bytes("<!DOCTYPE stream>", H), "restricted-xml" },
        { "comment between stanzas", Bytes(H, "<!-- hi -->"), "restricted-xml" },
        { "comment inside stanza", Bytes(H, "<message><!-- hi --></message>"), "restricted-xml" },
        { "comment before header", Bytes("<!-- hi -->", H), "restricted-xml" },
        { "processing instruction between stanzas", Bytes(H, "<?pi data?>"), "restricted-xml" },
        { "processing instruction inside stanza", Bytes(H, "<message><?pi data?></message>"), "restricted-xml" },
        { "processing instruction before header", Bytes("<?pi data?>", H), "restricted-xml" },
        { "second xml declaration", Bytes("<?xml version='1.0'?><?xml version='1.0'?>", H), "restricted-xml" },
        { "xml declaration after header", Bytes(H, "<?xml version='1.0'?>"), "restricted-xml" },
        { "entity declaration", Bytes(H, "<message><!ENTITY x 'y'></message>"), "restricted-xml" },
        { "custom entity in text", Bytes(H, "<message><body>&custom;</body></message>"), "restricted-xml" },
        { "custom entity in attribute", Bytes(H, "<message a='&custom;'/>"), "restricted-xml" },
        { "long custom entity", Bytes(H, "<message>&", new string('e', 40), ";</message>"), "restricted-xml" },

        // not-well-formed
        { "mismatched end tag", Bytes(H, "<message></mesage>"), "not-well-formed" },
        { "unclosed child", Bytes(H, "<message><body></message>"), "not-well-formed" },
        { "end tag with another prefix", Bytes(H, "<p:a xmlns:p='urn:p'></q:a>"), "not-well-formed" },
        { "empty end tag", Bytes(H, "<a></>"), "not-well-formed" },
        { "duplicate attribute", Bytes(H, "<a b='1' b='2'/>"), "not-well-formed" },
        { "duplicate attribute through two prefixes", Bytes(H, "<a xmlns:p='urn:p' xmlns:q='urn:p' p:b='1' q:b='2'/>"), "not-well-formed" },
        { "duplicate namespace declaration", Bytes(H, "<a xmlns='urn:a' xmlns='urn:b'/>"), "not-well-formed" },
        { "invalid utf-8 in text", Bytes(H, "<message><body>", new byte[] { 0xC3, 0x28 }, "</body></message>"), "not-well-formed" },
        { "overlong utf-8", Bytes(H, "<message><body>", new byte[] { 0xC0, 0xAF }, "</body></message>"), "not-well-formed" },
        { "lone continuation byte", Bytes(H, "<message><body>", new byte[] { 0x80 }, "</body></message>"), "not-well-formed" },
        { "truncated utf-8 before markup", Bytes(H, "<message><body>", new byte[] { 0xF0, 0x9F, 0x91 }, "</body></message>"), "not-well-formed" },
        { "encoded surrogate", Bytes(H, "<message><body>", new byte[] { 0xED, 0xA0, 0x80 }, "</body></message>"), "not-well-formed" },
        { "invalid utf-8 in attribute", Bytes(H, "<message id='", new byte[] { 0xFF }, "'/>"), "not-well-formed" },
        { "invalid utf-8 in name", Bytes(H, "<a", new byte[] { 0xFF }, "/>"), "not-well-formed" },
        { "non-name character in name", Bytes(H, "<a\u00D7b/>"), "not-well-formed" },
        { "control character in text", Bytes(H, "<message><body>a", new byte[] { 0x01 }, "</body></message>"), "not-well-formed" },
        { "control character in attribute", Bytes(H, "<message id='a", new byte[] { 0x1B }, "'/>"), "not-well-formed" },
        { "U+FFFF in text", Bytes(H, "<message><body>\uFFFF</body></message>"), "not-well-formed" },
        { "reference to a control character", Bytes(H, "<message><body>&#1;</body></message>"), "not-well-formed" },
        { "reference to a surrogate", Bytes(H, "<message><body>&#xD800;</body></message>"), "not-well-formed" },
        { "reference beyond unicode", Bytes(H, "<message><body>&#x110000;</body></message>"), "not-well-formed" },
        { "malformed character reference", Bytes(H, "<message><body>&#xZZ;</body></message>"), "not-well-formed" },
        { "empty character reference", Bytes(H, "<message><body>&#;</body></message>"), "not-well-formed" },
        { "unterminated entity reference", Bytes(H, "<message><body>a & b</body></message>"), "not-well-formed" },
        { "empty entity reference", Bytes(H, "<message><body>&;</body></message>"), "not-well-formed" },
        { "less-than in attribute", Bytes(H, "<a b='<'/>"), "not-well-formed" },
        { "unquoted attribute", Bytes(H, "<a b=1/>"), "not-well-formed" },
        { "attribute without value", Bytes(H, "<a b/>"), "not-well-formed" },
        { "attributes without space", Bytes(H, "<a b='1'c='2'/>"), "not-well-formed" },
        { "space after less-than", Bytes(H, "< a/>"), "not-well-formed" },
        { "digit starting a name", Bytes(H, "<1a/>"), "not-well-formed" },
        { "slash not closing the tag", Bytes(H, "<a/ >"), "not-well-formed" },
        { "two colons in a name", Bytes(H, "<a:b:c xmlns:a='urn:a'/>"), "not-well-formed" },
        { "text between stanzas", Bytes(H, "hello"), "not-well-formed" },
        { "text before header", Bytes("hello", H), "not-well-formed" },
        { "cdata between stanzas", Bytes(H, "<![CDATA[x]]>"), "not-well-formed" },
        { "malformed cdata opener", Bytes(H, "<a><![CDATX[x]]></a>"), "not-well-formed" },
        { "cdata end in text", Bytes(H, "<a>x]]>y</a>"), "not-well-formed" },
        { "markup after stream close", Bytes(H, "</stream:stream><message/>"), "not-well-formed" },
        { "end tag before header", Bytes("</stream:stream>"), "not-well-formed" },
        { "stream close with wrong name", Bytes(H, "</stream>"), "not-well-formed" },
        { "undeclaring a prefix", Bytes(H, "<a xmlns:p=''/>"), "not-well-formed" },
        { "declaring the xmlns prefix", Bytes(H, "<a xmlns:xmlns='urn:x'/>"), "not-well-formed" },
        { "rebinding the xml prefix", Bytes(H, "<a xmlns:xml='urn:x'/>"), "not-well-formed" },
        { "bad byte order mark", Bytes(new byte[] { 0xEF, 0xBB, 0x00 }, H), "not-well-formed" },
        { "xml declaration without version", Bytes("<?xml encoding='UTF-8'?>", H), "not-well-formed" },
        { "xml version 2", Bytes("<?xml version='2.0'?>", H), "not-well-formed" },

        // bad-namespace-prefix
        { "undeclared element prefix", Bytes(H, "<p:message/>"), "bad-namespace-prefix" },
        { "undeclared attribute prefix", Bytes(H, "<message p:a='1'/>"), "bad-namespace-prefix" },
        { "prefix out of scope", Bytes(H, "<a><b xmlns:p='urn:p'/><p:c/></a>"), "bad-namespace-prefix" },
        { "undeclared stream prefix", Bytes("<stream:stream xmlns='jabber:client'>"), "bad-namespace-prefix" },

        // invalid-namespace
        { "stream in a wrong namespace", Bytes("<stream:stream xmlns:stream='urn:wrong'>"), "invalid-namespace" },
        { "stream in the content namespace", Bytes("<stream xmlns='jabber:client'>"), "invalid-namespace" },
        { "root not named stream", Bytes("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"), "invalid-namespace" },

        // unsupported-encoding
        { "declared latin-1", Bytes("<?xml version='1.0' encoding='ISO-8859-1'?>", H), "unsupported-encoding" },
        { "utf-16 byte order mark", Bytes(new byte[] { 0xFF, 0xFE, (byte)'<', 0 }), "unsupported-encoding" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_input_fed_whole_is_rejected_with_its_condition(string name, byte[] input, string condition)
    {
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(input));
        Assert.True(condition == error.Condition, $"{name}: expected {condition}, got {error.Condition} ({error.Message})");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_input_fed_byte_by_byte_is_rejected_with_its_condition(string name, byte[] input, string condition)
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var events = new List<string>();
        var error = Assert.Throws<XmlStreamException>(() =>
        {
            foreach (var b in input)
            {
                Feed(parser, new ReadOnlySequence<byte>([b]), events);
            }
        });
        Assert.True(condition == error.Condition, $"{name}: expected {condition}, got {error.Condition} ({error.Message})");
    }

    [Fact]
    public void Stanza_larger_than_the_limit_is_rejected_as_soon_as_the_limit_is_passed()
    {
        var parser = new XmppStreamParser(new XmlLimits { MaxStanzaBytes = 100 });
        var events = new List<string>();
        Feed(parser, new ReadOnlySequence<byte>(Utf8(H + " ")), events);

        // Exactly 100 bytes of an unfinished stanza are fine; the 101st is not, long before the end tag.
        var start = Utf8("<message><body>" + new string('x', 85));
        Assert.Equal(100, start.Length);
        Feed(parser, new ReadOnlySequence<byte>(start), events);
        var error = Assert.Throws<XmlStreamException>(() => Feed(parser, new ReadOnlySequence<byte>(Utf8("x")), events));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Fact]
    public void Stanza_larger_than_the_limit_in_one_big_read_is_rejected()
    {
        var input = Utf8(H + "<message><body>" + new string('x', 1000) + "</body></message>");
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(input, new XmlLimits { MaxStanzaBytes = 100 }));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Fact]
    public void The_stanza_limit_applies_to_each_stanza_not_to_the_stream()
    {
        var stanzas = string.Concat(Enumerable.Repeat("<message><body>0123456789</body></message>  ", 50));
        var events = ParseWhole(Utf8(H + stanzas), new XmlLimits { MaxStanzaBytes = 60 });
        Assert.Equal(51, events.Count);
    }

    [Theory]
    [InlineData("<a><b><c><d/></c></b></a>")]
    [InlineData("<a><b><c><d></d></c></b></a>")]
    public void Nesting_deeper_than_the_limit_is_rejected(string stanza)
    {
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(Utf8(H + stanza), new XmlLimits { MaxDepth = 3 }));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Theory]
    [InlineData("<a b='1' c='2' d='3'/>")]
    [InlineData("<a xmlns='urn:a' b='1' c='2'/>")]
    public void More_attributes_than_the_limit_are_rejected_counting_declarations(string stanza)
    {
        var limits = new XmlLimits { MaxAttributes = 4 };
        Assert.Equal(2, ParseWhole(Utf8("<stream xmlns='http://etherx.jabber.org/streams'><a b='1' c='2' d='3' e='4'/>"), limits).Count);
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(Utf8("<stream xmlns='http://etherx.jabber.org/streams'>" + stanza), new XmlLimits { MaxAttributes = 2 }));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Theory]
    [InlineData("<abcdefghijk/>")]
    [InlineData("<a abcdefghijk='1'/>")]
    [InlineData("<a></abcdefghijk>")]
    [InlineData("<abcdefghijk")]
    public void Names_longer_than_the_limit_are_rejected_without_waiting_for_their_end(string stanza)
    {
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(Utf8("<stream xmlns='http://etherx.jabber.org/streams'>" + stanza), new XmlLimits { MaxNameBytes = 10 }));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Fact]
    public void Stream_header_longer_than_the_limit_is_rejected_before_it_ends()
    {
        var error = Assert.Throws<XmlStreamException>(() => ParseWhole(Utf8("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" + new string('a', 200)), new XmlLimits { MaxStreamHeaderBytes = 128 }));
        Assert.Equal("policy-violation", error.Condition);
    }

    [Fact]
    public void Stream_header_limit_does_not_apply_to_stanzas()
    {
        var events = ParseWhole(Utf8(H + "<message><body>" + new string('x', 500) + "</body></message>"), new XmlLimits { MaxStreamHeaderBytes = H.Length });
        Assert.Equal(2, events.Count);
    }
}
