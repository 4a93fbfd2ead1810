using System.Buffers;
using System.Text;
using Converge.Xmpp.Xml;
using static Converge.Xmpp.Tests.Xml.ParserHarness;

namespace Converge.Xmpp.Tests.Xml;

public sealed class XmlWriterTests
{
    [Fact]
    public void Empty_element_is_self_closing()
    {
        Assert.Equal("<presence/>", XmlWriter.ToXmlString(new XmlElement("presence", "jabber:client"), "jabber:client"));
    }

    [Fact]
    public void Namespace_is_declared_only_where_it_differs_from_the_parent()
    {
        var iq = new XmlElement("iq", "jabber:client").SetAttribute("type", "get");
        var query = iq.AddElement("query", "jabber:iq:roster");
        query.AddElement("item").SetAttribute("jid", "b@b");
        iq.AddElement("x", "");

        Assert.Equal(
            "<iq type='get'><query xmlns='jabber:iq:roster'><item jid='b@b'/></query><x xmlns=''/></iq>",
            XmlWriter.ToXmlString(iq, "jabber:client"));
        Assert.Equal(
            "<iq xmlns='jabber:client' type='get'><query xmlns='jabber:iq:roster'><item jid='b@b'/></query><x xmlns=''/></iq>",
            XmlWriter.ToXmlString(iq));
    }

    [Fact]
    public void Prefixed_element_uses_the_stream_prefix_and_declares_no_namespace()
    {
        var result = new XmlElement("result", "jabber:server:dialback")
            .SetAttribute("from", "a.example").SetAttribute("to", "b'<&.example").AddText("k&<>");
        var buffer = new ArrayBufferWriter<byte>();
        XmlWriter.WritePrefixed(buffer, result, "db");
        Assert.Equal("<db:result from='a.example' to='b&apos;&lt;&amp;.example'>k&amp;&lt;&gt;</db:result>", Encoding.UTF8.GetString(buffer.WrittenSpan));

        buffer.Clear();
        XmlWriter.WritePrefixed(buffer, new XmlElement("verify", "jabber:server:dialback").SetAttribute("type", "valid"), "db");
        Assert.Equal("<db:verify type='valid'/>", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Text_escapes_markup_characters_and_carriage_returns()
    {
        var body = new XmlElement("body", "").AddText("a & b < c > d ' \" ]]> \r\n");
        Assert.Equal("<body>a &amp; b &lt; c &gt; d ' \" ]]&gt; &#xD;\n</body>", XmlWriter.ToXmlString(body));
    }

    [Fact]
    public void Attribute_values_are_single_quoted_with_quote_and_whitespace_escaped()
    {
        var e = new XmlElement("x", "").SetAttribute("v", "it's <\"a\"> & \tb\nc\r");
        Assert.Equal("<x v='it&apos;s &lt;\"a\"&gt; &amp; &#x9;b&#xA;c&#xD;'/>", XmlWriter.ToXmlString(e));
    }

    [Fact]
    public void Characters_xml_cannot_carry_become_replacement_characters()
    {
        var e = new XmlElement("x", "").SetAttribute("v", "a\u0001b").AddText("c\u0000d\uFFFEe\uD800f");
        Assert.Equal("<x v='a\uFFFDb'>c\uFFFDd\uFFFDe\uFFFDf</x>", XmlWriter.ToXmlString(e));
    }

    [Fact]
    public void Namespaced_attributes_get_a_declared_prefix_per_namespace()
    {
        var e = new XmlElement("x", "")
            .SetAttribute("a", "1", "urn:p")
            .SetAttribute("b", "2")
            .SetAttribute("c", "3", "urn:q")
            .SetAttribute("d", "4", "urn:p");
        Assert.Equal("<x xmlns:a0='urn:p' a0:a='1' b='2' xmlns:a2='urn:q' a2:c='3' a0:d='4'/>", XmlWriter.ToXmlString(e));
    }

    [Fact]
    public void Xml_lang_keeps_the_xml_prefix_without_a_declaration()
    {
        var e = new XmlElement("body", "").SetAttribute("xml:lang", "de").SetAttribute("space", "preserve", "http://www.w3.org/XML/1998/namespace");
        Assert.Equal("<body xml:lang='de' xml:space='preserve'/>", XmlWriter.ToXmlString(e));
    }

    [Fact]
    public void Stray_namespace_declarations_in_attributes_are_not_written()
    {
        var e = new XmlElement("x", "urn:x").SetAttribute("xmlns", "urn:other").SetAttribute("xmlns:p", "urn:p");
        Assert.Equal("<x xmlns='urn:x'/>", XmlWriter.ToXmlString(e));
    }

    [Fact]
    public void Streams_namespace_elements_use_the_stream_prefix_and_declare_it()
    {
        var features = new XmlElement("features", "http://etherx.jabber.org/streams");
        features.AddElement("starttls", "urn:ietf:params:xml:ns:xmpp-tls").AddElement("required");
        features.AddElement("extra", "jabber:client");
        Assert.Equal(
            "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls><extra/></stream:features>",
            XmlWriter.ToXmlString(features, "jabber:client"));
    }

    [Fact]
    public void Stream_header_and_close()
    {
        var output = new ArrayBufferWriter<byte>();
        XmlWriter.WriteStreamHeader(output, "a.example", "alice@a.example", "s'1", "jabber:client");
        XmlWriter.WriteStreamClose(output);
        Assert.Equal(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
            + "from='a.example' to='alice@a.example' id='s&apos;1' xml:lang='en' version='1.0'></stream:stream>",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Stream_header_leaves_out_missing_values_and_adds_prefixes()
    {
        var output = new ArrayBufferWriter<byte>();
        XmlWriter.WriteStreamHeader(output, "a.example", null, "", "jabber:server", null, [new("db", "jabber:server:dialback")]);
        Assert.Equal(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
            + "xmlns:db='jabber:server:dialback' from='a.example' version='1.0'>",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Written_stream_header_is_read_back_by_the_parser()
    {
        var output = new ArrayBufferWriter<byte>();
        XmlWriter.WriteStreamHeader(output, "a.example", "b.example", "id1", "jabber:server", "de", [new("db", "jabber:server:dialback")]);
        var parser = new XmppStreamParser(new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(parser.TryRead(ref buffer, out var open));
        Assert.Equal("de", open.Element!.GetAttribute("xml:lang"));
        Assert.Equal("jabber:server", parser.ContentNamespace);
        Assert.Equal("jabber:server:dialback", parser.LookupStreamNamespace("db"));
    }

    [Fact]
    public void Output_is_the_same_through_a_writer_that_hands_out_tiny_spans()
    {
        var message = new XmlElement("message", "jabber:client").SetAttribute("to", "bob@b.example/ä");
        message.AddElement("body").AddText(string.Concat(Enumerable.Repeat("Grüße 👋 & <中文> ", 400)));

        var stingy = new TinySpanWriter();
        XmlWriter.Write(stingy, message, "jabber:client");
        Assert.Equal(XmlWriter.ToXmlString(message, "jabber:client"), Encoding.UTF8.GetString(stingy.Written.ToArray()));
    }

    [Fact]
    public void Parse_write_parse_gives_the_same_trees()
    {
        var first = ParseEvents(XmppStreamParserSplitTests.Stream);
        var stanzas = first.Where(e => e.Kind == XmppStreamEventKind.Element).Select(e => e.Element!).ToList();

        var rewritten = new ArrayBufferWriter<byte>();
        XmlWriter.WriteStreamHeader(rewritten, null, "a.example", "", "jabber:client");
        foreach (var stanza in stanzas)
        {
            XmlWriter.Write(rewritten, stanza, "jabber:client");
        }

        XmlWriter.WriteStreamClose(rewritten);
        var second = ParseEvents(rewritten.WrittenSpan.ToArray()).Where(e => e.Kind == XmppStreamEventKind.Element).Select(e => e.Element!).ToList();

        Assert.Equal(stanzas.Select(Describe), second.Select(Describe));
    }

    [Fact]
    public void Escaped_values_survive_a_round_trip_exactly()
    {
        var tricky = "a&b<c>d'e\"f\tg\nh\r\ni ]]> 👋";
        var e = new XmlElement("x", "jabber:client").SetAttribute("v", tricky).SetAttribute("w", tricky, "urn:p");
        e.AddText(tricky);
        var back = ParseStanza(XmlWriter.ToXmlString(e, "jabber:client"));
        Assert.Equal(Describe(e), Describe(back));
    }

    /// <summary>An IBufferWriter that never gives more than it is asked for (and at most 5 bytes unless asked).</summary>
    private sealed class TinySpanWriter : IBufferWriter<byte>
    {
        private byte[] _current = [];
        public List<byte> Written { get; } = [];

        public void Advance(int count) => Written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 5)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
