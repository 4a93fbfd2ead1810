using System.Buffers;
using Converge.Xmpp.Xml;
using static Converge.Xmpp.Tests.Xml.ParserHarness;

namespace Converge.Xmpp.Tests.Xml;

public sealed class XmppStreamParserTests
{
    private const string Streams = "http://etherx.jabber.org/streams";

    [Fact]
    public void Stream_header_becomes_a_stream_element_with_its_attributes_but_not_its_declarations()
    {
        var events = ParseEvents(Utf8(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
            + "to='a.example' from='alice@a.example' id='s1' version='1.0' xml:lang='en'>"));

        var open = Assert.Single(events);
        Assert.Equal(XmppStreamEventKind.StreamOpen, open.Kind);
        var header = open.Element!;
        Assert.Equal("stream", header.Name);
        Assert.Equal(Streams, header.Namespace);
        Assert.Equal(
            [new("to", "a.example"), new("from", "alice@a.example"), new("id", "s1"), new("version", "1.0"), new XmlAttribute("xml:lang", "en")],
            header.Attributes);
    }

    [Fact]
    public void Stream_header_declarations_are_available_from_the_parser()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(Utf8(
            "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>"));
        Assert.True(parser.TryRead(ref buffer, out _));
        Assert.Equal("jabber:server", parser.ContentNamespace);
        Assert.Equal("jabber:server:dialback", parser.LookupStreamNamespace("db"));
        Assert.Null(parser.LookupStreamNamespace("x"));
    }

    [Fact]
    public void Stanzas_take_the_stream_default_namespace_and_nonzas_the_streams_namespace()
    {
        var stanzas = ParseStanzas("<message><body>hi</body></message><stream:features/><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");

        Assert.Equal(("message", "jabber:client"), (stanzas[0].Name, stanzas[0].Namespace));
        Assert.Equal("hi", stanzas[0].ChildText("body", "jabber:client"));
        Assert.Equal(("features", Streams), (stanzas[1].Name, stanzas[1].Namespace));
        Assert.Equal(("error", Streams), (stanzas[2].Name, stanzas[2].Namespace));
        Assert.NotNull(stanzas[2].Element("host-unknown", "urn:ietf:params:xml:ns:xmpp-streams"));
    }

    [Fact]
    public void Nested_default_and_prefixed_namespaces_resolve_per_element_and_go_out_of_scope()
    {
        var iq = ParseStanza(
            "<iq type='result'><query xmlns='jabber:iq:roster'><item jid='b@b'/></query>"
            + "<p:x xmlns:p='urn:p'><p:y/><z/><w xmlns=''/></p:x><after/></iq>");

        var query = iq.Element("query", "jabber:iq:roster")!;
        Assert.NotNull(query.Element("item", "jabber:iq:roster"));
        var x = iq.Element("x", "urn:p")!;
        Assert.NotNull(x.Element("y", "urn:p"));
        Assert.NotNull(x.Element("z", "jabber:client"));
        Assert.NotNull(x.Element("w", ""));
        Assert.NotNull(iq.Element("after", "jabber:client"));
    }

    [Fact]
    public void Prefix_declared_later_in_the_same_tag_qualifies_earlier_attributes()
    {
        var e = ParseStanza("<m p:a='1' b='2' xmlns:p='urn:p'/>");
        Assert.Equal([new XmlAttribute("a", "1", "urn:p"), new XmlAttribute("b", "2")], e.Attributes);
    }

    [Fact]
    public void Same_local_name_in_different_namespaces_is_not_a_duplicate()
    {
        var e = ParseStanza("<m a='1' p:a='2' xmlns:p='urn:p'/>");
        Assert.Equal("1", e.GetAttribute("a"));
        Assert.Equal("2", e.GetAttribute("a", "urn:p"));
    }

    [Fact]
    public void Predefined_entities_and_character_references_are_decoded()
    {
        var body = ParseStanza("<body a='&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F44B;'>&lt;&gt;&amp;&apos;&quot;&#233;&#xE9;&#x0001F44B;</body>");
        Assert.Equal("<>&'\"AB👋", body.GetAttribute("a"));
        Assert.Equal("<>&'\"éé👋", body.Text);
    }

    [Fact]
    public void Multibyte_utf8_is_decoded_in_names_values_and_text()
    {
        var e = ParseStanza("<grüße wert='Grüße 👋'>Grüße 👋 中文</grüße>");
        Assert.Equal("grüße", e.Name);
        Assert.Equal("Grüße 👋", e.GetAttribute("wert"));
        Assert.Equal("Grüße 👋 中文", e.Text);
    }

    [Fact]
    public void Cdata_is_text_and_merges_with_the_text_around_it()
    {
        var e = ParseStanza("<body>a<![CDATA[<b> & ]]]]><![CDATA[]]>c</body>");
        var text = Assert.IsType<XmlText>(Assert.Single(e.Children));
        Assert.Equal("a<b> & ]]c", text.Value);
    }

    [Theory]
    [InlineData("]>]>")]
    [InlineData("]]&gt;")]
    [InlineData("] ]>")]
    [InlineData("]]<![CDATA[]]>>")]
    public void Brackets_and_greater_than_are_text_unless_they_spell_a_cdata_end(string text)
    {
        var e = ParseStanza($"<body>{text}</body>");
        Assert.Equal(text.Replace("&gt;", ">", StringComparison.Ordinal).Replace("<![CDATA[]]>", "", StringComparison.Ordinal), e.Text);
    }

    [Fact]
    public void Line_ends_are_normalized_and_attribute_whitespace_becomes_spaces()
    {
        var e = ParseStanza("<body a='x\r\ny\tz\nw&#10;v'>1\r\n2\r3\n4&#13;5</body>");
        Assert.Equal("x y z w\nv", e.GetAttribute("a"));
        Assert.Equal("1\n2\n3\n4\r5", e.Text);
    }

    [Fact]
    public void Whitespace_keepalives_between_stanzas_produce_no_events()
    {
        var events = ParseWhole(Utf8(Header + " \n\t\r\n  <a/>   \n  <b/>  \n"));
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void Whitespace_inside_a_stanza_is_kept_as_text()
    {
        var e = ParseStanza("<message>\n  <body>x</body>\n</message>");
        Assert.Equal(3, e.Children.Count);
        Assert.Equal("\n  ", Assert.IsType<XmlText>(e.Children[0]).Value);
    }

    [Fact]
    public void Close_tag_ends_the_stream_and_only_whitespace_may_follow()
    {
        var events = ParseEvents(Utf8(Header + "<a/></stream:stream>\n "));
        Assert.Equal([XmppStreamEventKind.StreamOpen, XmppStreamEventKind.Element, XmppStreamEventKind.StreamClose], events.Select(e => e.Kind));
        Assert.Null(events[2].Element);
    }

    [Fact]
    public void Self_closing_stream_header_opens_and_closes()
    {
        var events = ParseEvents(Utf8("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>"));
        Assert.Equal([XmppStreamEventKind.StreamOpen, XmppStreamEventKind.StreamClose], events.Select(e => e.Kind));
    }

    [Fact]
    public void Stream_close_must_repeat_the_header_prefix()
    {
        var events = ParseEvents(Utf8("<s:stream xmlns:s='http://etherx.jabber.org/streams'><a/></s:stream>"));
        Assert.Equal(XmppStreamEventKind.StreamClose, events[^1].Kind);
        var error = Assert.Throws<XmlStreamException>(() => ParseEvents(Utf8("<s:stream xmlns:s='http://etherx.jabber.org/streams'></stream:stream>")));
        Assert.Equal("not-well-formed", error.Condition);
    }

    [Fact]
    public void Stream_prefix_is_not_required_when_the_streams_namespace_is_the_default()
    {
        var events = ParseEvents(Utf8("<stream xmlns='http://etherx.jabber.org/streams'><features/></stream>"));
        Assert.Equal(("features", Streams), (events[1].Element!.Name, events[1].Element!.Namespace));
    }

    [Fact]
    public void Byte_order_mark_and_declaration_may_precede_the_header()
    {
        var events = ParseEvents(Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, "<?xml version=\"1.0\" encoding='utf-8' standalone='yes' ?>\n" + Header));
        Assert.Equal(XmppStreamEventKind.StreamOpen, Assert.Single(events).Kind);
    }

    [Fact]
    public void Incomplete_input_waits_for_more_without_an_event()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(Utf8(Header + "<message><body>half"));
        Assert.True(parser.TryRead(ref buffer, out _));
        Assert.False(parser.TryRead(ref buffer, out _));
        Assert.Equal(0, buffer.Length);
        buffer = new ReadOnlySequence<byte>(Utf8(" done</body></message>"));
        Assert.True(parser.TryRead(ref buffer, out var ev));
        Assert.Equal("half done", ev.Element!.ChildText("body", "jabber:client"));
    }

    [Fact]
    public void Reset_starts_a_new_stream_with_a_new_declaration_and_header()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(Utf8(Header + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message><bo"));
        Assert.True(parser.TryRead(ref buffer, out _));
        Assert.True(parser.TryRead(ref buffer, out _));
        Assert.False(parser.TryRead(ref buffer, out _));

        parser.Reset();
        Assert.Equal("", parser.ContentNamespace);
        buffer = new ReadOnlySequence<byte>(Utf8("<?xml version='1.0'?>" + Header.Replace("jabber:client", "jabber:server", StringComparison.Ordinal) + "<message/>"));
        Assert.True(parser.TryRead(ref buffer, out var open));
        Assert.Equal(XmppStreamEventKind.StreamOpen, open.Kind);
        Assert.True(parser.TryRead(ref buffer, out var message));
        Assert.Equal("jabber:server", message.Element!.Namespace);
    }

    [Fact]
    public void Frequent_names_and_namespaces_are_shared_strings()
    {
        var stanzas = ParseStanzas("<message type='chat'><body/></message><message type='chat'><body/></message><x:y xmlns:x='urn:custom:ns'/><x:y xmlns:x='urn:custom:ns'/>");
        Assert.Same(stanzas[0].Name, stanzas[1].Name);
        Assert.Same(stanzas[0].Namespace, stanzas[1].Namespace);
        Assert.Same(stanzas[0].GetAttribute("type"), stanzas[1].GetAttribute("type"));
        Assert.Same(stanzas[2].Name, stanzas[3].Name);
        Assert.Same(stanzas[2].Namespace, stanzas[3].Namespace);
    }

    [Fact]
    public void Limits_are_inclusive()
    {
        const string header = "<stream xmlns='http://etherx.jabber.org/streams'>";
        const string stanza = "<abcdef a='1' b='2'><b>x</b></abcdef>";
        var limits = new XmlLimits
        {
            MaxDepth = 2,
            MaxAttributes = 2,
            MaxNameBytes = 6,
            MaxStanzaBytes = stanza.Length,
            MaxStreamHeaderBytes = header.Length,
        };

        var events = ParseWhole(Utf8(header + stanza), limits);
        Assert.Equal(2, events.Count);
    }
}
