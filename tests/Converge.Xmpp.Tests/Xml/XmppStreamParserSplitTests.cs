using System.Buffers;
using System.IO.Pipelines;
using Converge.Xmpp.Xml;
using static Converge.Xmpp.Tests.Xml.ParserHarness;

namespace Converge.Xmpp.Tests.Xml;

/// <summary>However the bytes are cut into reads and segments, the events are the same.</summary>
public sealed class XmppStreamParserSplitTests
{
    /// <summary>A realistic client stream exercising every construct the parser keeps state for across reads.</summary>
    internal static readonly byte[] Stream = Bytes(
        new byte[] { 0xEF, 0xBB, 0xBF },
        "<?xml version='1.0' encoding=\"UTF-8\"?>\n",
        "<stream:stream xmlns='jabber:client' xmlns:stream=\"http://etherx.jabber.org/streams\" to=\"a.example\" version='1.0' xml:lang='de'>",
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
        " \n\t ",
        "<message from='alice@a.example/phone' to=\"bob@b.example\" type='chat' id='m1'>",
        "<body>Grüße 👋 &amp; &lt;tags&gt; &#x1F600;&#233; &apos;q&quot; 中文</body>",
        "<thread>t1</thread>",
        "<x:data xmlns:x='urn:example:x' x:attr='v&amp;1 &#x4e2d;' plain=\"a'b\"><x:item/>text<![CDATA[<raw> & ]] ]]]>tail</x:data>",
        "</message>\r\n\r\n",
        "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>",
        " ",
        "<presence><show>away</show><status xml:lang='en'>Out&#10; line\r\nnext\rlast</status>",
        "<c xmlns=\"http://jabber.org/protocol/caps\" hash='sha-1' node='n' ver='v= \t1'/></presence>",
        "<iq type = 'set' id='b1' ><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind' ><resource >phone</resource ></bind></iq >",
        "\n</stream:stream>\n");

    private static readonly List<string> Expected = ParseWhole(Stream);

    [Fact]
    public void Whole_stream_gives_open_every_stanza_and_close()
    {
        Assert.Equal(7, Expected.Count);
        Assert.StartsWith("StreamOpen", Expected[0], StringComparison.Ordinal);
        Assert.Equal("close", Expected[^1]);
    }

    [Fact]
    public void Every_split_into_two_reads_gives_the_same_events()
    {
        for (var split = 0; split <= Stream.Length; split++)
        {
            var parser = new XmppStreamParser(new XmlLimits());
            var events = new List<string>();
            Feed(parser, new ReadOnlySequence<byte>(Stream.AsMemory(0, split)), events);
            Feed(parser, new ReadOnlySequence<byte>(Stream.AsMemory(split)), events);
            Assert.True(Expected.SequenceEqual(events), $"split at byte {split}");
        }
    }

    [Fact]
    public void Every_split_into_two_segments_of_one_buffer_gives_the_same_events()
    {
        for (var split = 0; split <= Stream.Length; split++)
        {
            var parser = new XmppStreamParser(new XmlLimits());
            var events = new List<string>();
            Feed(parser, SegmentedSequence.Create(Stream[..split], Stream[split..]), events);
            Assert.True(Expected.SequenceEqual(events), $"split at byte {split}");
        }
    }

    [Fact]
    public void One_byte_segments_give_the_same_events()
    {
        var events = new List<string>();
        Feed(new XmppStreamParser(new XmlLimits()), SegmentedSequence.OneBytePerSegment(Stream), events);
        Assert.Equal(Expected, events);
    }

    [Fact]
    public void One_byte_reads_give_the_same_events()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var events = new List<string>();
        foreach (var b in Stream)
        {
            Feed(parser, new ReadOnlySequence<byte>([b]), events);
        }

        Assert.Equal(Expected, events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_pipe_fed_in_random_chunks_gives_the_same_events(int seed)
    {
        var random = new Random(seed);
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < Stream.Length;)
            {
                var size = Math.Min(random.Next(1, 48), Stream.Length - offset);
                await pipe.Writer.WriteAsync(Stream.AsMemory(offset, size));
                offset += size;
            }

            await pipe.Writer.CompleteAsync();
        });

        var parser = new XmppStreamParser(new XmlLimits());
        var events = new List<string>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (parser.TryRead(ref buffer, out var ev))
            {
                events.Add(Render(ev));
            }

            Assert.Equal(0, buffer.Length);
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await writing;
        Assert.Equal(Expected, events);
    }

    [Fact]
    public void A_large_stanza_arriving_in_small_reads_is_consumed_as_it_arrives()
    {
        // Consuming every byte of every read is what makes reassembly linear: nothing is handed back to be rescanned.
        var body = new string('x', 150_000) + "é" + new string('y', 50_000);
        var stanza = Utf8($"<message id='big' note='{new string('n', 10_000)}'><body>{body}</body></message>");
        var parser = new XmppStreamParser(new XmlLimits());
        var events = new List<string>();
        Feed(parser, new ReadOnlySequence<byte>(Utf8(Header)), events);
        for (var offset = 0; offset < stanza.Length; offset += 7)
        {
            var buffer = new ReadOnlySequence<byte>(stanza.AsMemory(offset, Math.Min(7, stanza.Length - offset)));
            var completed = parser.TryRead(ref buffer, out var ev);
            Assert.Equal(0, buffer.Length);
            Assert.Equal(offset + 7 >= stanza.Length, completed);
            if (completed)
            {
                Assert.Equal(body, ev.Element!.ChildText("body", "jabber:client"));
            }
        }
    }

    [Fact]
    public void An_event_completing_mid_buffer_leaves_the_rest_for_the_next_call()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(Utf8(Header + "<a/><b/>"));
        Assert.True(parser.TryRead(ref buffer, out var open));
        Assert.Equal(XmppStreamEventKind.StreamOpen, open.Kind);
        Assert.Equal("<a/><b/>", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        Assert.True(parser.TryRead(ref buffer, out var a));
        Assert.Equal("a", a.Element!.Name);
        Assert.Equal("<b/>", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        Assert.True(parser.TryRead(ref buffer, out var b));
        Assert.Equal("b", b.Element!.Name);
        Assert.False(parser.TryRead(ref buffer, out _));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void An_event_completing_mid_segment_of_a_multi_segment_buffer_slices_at_that_byte()
    {
        var parser = new XmppStreamParser(new XmlLimits());
        var bytes = Utf8(Header + "<a/><bb/>");
        var buffer = SegmentedSequence.Create(bytes[..20], bytes[20..^5], bytes[^5..]);
        var names = new List<string>();
        while (parser.TryRead(ref buffer, out var ev))
        {
            names.Add(ev.Element!.Name);
            Assert.Equal(bytes.Length - (ev.Kind == XmppStreamEventKind.StreamOpen ? Header.Length : ev.Element.Name == "a" ? Header.Length + 4 : bytes.Length), buffer.Length);
        }

        Assert.Equal(["stream", "a", "bb"], names);
    }
}
