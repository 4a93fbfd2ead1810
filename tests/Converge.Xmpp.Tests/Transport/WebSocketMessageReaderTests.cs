using System.Buffers;
using System.Text;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport.WebSockets;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Transport;

/// <summary>RFC 7395 messages turned back into the XML stream the client protocol reads.</summary>
public sealed class WebSocketMessageReaderTests
{
    private const string Open = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.test' version='1.0' xml:lang='de'/>";

    private static string Translate(WebSocketMessageReader reader, string message)
    {
        var output = new ArrayBufferWriter<byte>();
        reader.Translate(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(message)), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Open_becomes_a_stream_header_for_the_same_domain_and_language()
    {
        var header = Translate(new WebSocketMessageReader(new XmlLimits()), Open);

        Assert.StartsWith("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'", header, StringComparison.Ordinal);
        Assert.Contains("to='example.test'", header, StringComparison.Ordinal);
        Assert.Contains("xml:lang='de'", header, StringComparison.Ordinal);
        Assert.EndsWith("version='1.0'>", header, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stanza_passes_as_it_came_and_close_ends_the_stream()
    {
        var reader = new WebSocketMessageReader(new XmlLimits());
        Translate(reader, Open);
        const string Message = "<message xmlns='jabber:client' to='bob@example.test'><body>a &lt; b</body></message>";

        Assert.Equal(Message, Translate(reader, Message));
        Assert.Equal("</stream:stream>", Translate(reader, "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"));
    }

    [Fact]
    public void The_stream_restarts_with_a_second_open_after_authentication()
    {
        var reader = new WebSocketMessageReader(new XmlLimits());
        Translate(reader, Open);
        Translate(reader, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AA==</auth>");

        Assert.Contains("<stream:stream", Translate(reader, Open), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<message xmlns='jabber:client'/><message xmlns='jabber:client'/>", "bad-format")]
    [InlineData("<message xmlns='jabber:client'><body>half", "bad-format")]
    [InlineData("   ", "bad-format")]
    [InlineData("<message xmlns='jabber:client'>", "bad-format")]
    [InlineData("<message xmlns='jabber:client'/>trailing text", "bad-format")]
    public void A_message_that_is_not_exactly_one_element_ends_the_stream(string message, string condition)
    {
        var reader = new WebSocketMessageReader(new XmlLimits());
        Translate(reader, Open);

        Assert.Equal(condition, Assert.Throws<StreamError>(() => Translate(reader, message)).Condition);
    }

    [Fact]
    public void An_element_before_open_ends_the_stream()
    {
        var reader = new WebSocketMessageReader(new XmlLimits());

        Assert.Equal("bad-format", Assert.Throws<StreamError>(() => Translate(reader, "<message xmlns='jabber:client'/>")).Condition);
    }

    [Fact]
    public void Malformed_xml_ends_the_stream_with_the_parsers_condition()
    {
        var reader = new WebSocketMessageReader(new XmlLimits());
        Translate(reader, Open);

        var error = Assert.Throws<StreamError>(() => Translate(reader, "<message xmlns='jabber:client'></iq>"));
        Assert.NotEqual("bad-format", error.Condition);
    }

    [Fact]
    public void The_xml_depth_limit_holds_inside_a_message()
    {
        var reader = new WebSocketMessageReader(new XmlLimits { MaxDepth = 4 });
        Translate(reader, Open);
        var deep = string.Concat(Enumerable.Repeat("<a>", 10)) + string.Concat(Enumerable.Repeat("</a>", 10));

        Assert.Throws<StreamError>(() => Translate(reader, $"<message xmlns='jabber:client'>{deep}</message>"));
    }
}
