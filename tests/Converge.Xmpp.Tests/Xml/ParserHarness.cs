using System.Buffers;
using System.Text;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Xml;

/// <summary>Drives a parser the way a connection does and renders its events for comparison.</summary>
internal static class ParserHarness
{
    public const string Header =
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example' version='1.0'>";

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Concatenates strings (as UTF-8) and raw byte arrays.</summary>
    public static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p switch
        {
            string s => Utf8(s),
            byte[] b => b,
            _ => throw new ArgumentException("string or byte[] expected"),
        })];

    /// <summary>One network read: runs the caller's loop and checks the parser consumed every byte it was given.</summary>
    public static void Feed(XmppStreamParser parser, ReadOnlySequence<byte> buffer, List<string> events)
    {
        while (parser.TryRead(ref buffer, out var ev))
        {
            events.Add(Render(ev));
        }

        Assert.Equal(0, buffer.Length);
    }

    public static List<string> ParseWhole(byte[] input, XmlLimits? limits = null)
    {
        var events = new List<string>();
        Feed(new XmppStreamParser(limits ?? new XmlLimits()), new ReadOnlySequence<byte>(input), events);
        return events;
    }

    public static List<XmppStreamEvent> ParseEvents(byte[] input, XmlLimits? limits = null)
    {
        var parser = new XmppStreamParser(limits ?? new XmlLimits());
        var buffer = new ReadOnlySequence<byte>(input);
        var events = new List<XmppStreamEvent>();
        while (parser.TryRead(ref buffer, out var ev))
        {
            events.Add(ev);
        }

        Assert.Equal(0, buffer.Length);
        return events;
    }

    public static List<XmlElement> ParseStanzas(string afterHeader) =>
        [.. ParseEvents(Utf8(Header + afterHeader)).Where(e => e.Kind == XmppStreamEventKind.Element).Select(e => e.Element!)];

    public static XmlElement ParseStanza(string stanza) => Assert.Single(ParseStanzas(stanza));

    /// <summary>An event as text that pins down kind, names, namespaces, attributes and text exactly.</summary>
    public static string Render(XmppStreamEvent ev) => ev.Kind switch
    {
        XmppStreamEventKind.StreamClose => "close",
        _ => $"{ev.Kind}: {Describe(ev.Element!)}",
    };

    /// <summary>A structural dump, independent of the writer, so writer and parser can be checked against each other.</summary>
    public static string Describe(XmlElement element)
    {
        var sb = new StringBuilder();
        Describe(element, sb);
        return sb.ToString();
    }

    private static void Describe(XmlElement element, StringBuilder sb)
    {
        sb.Append('{').Append(element.Namespace).Append('}').Append(element.Name).Append('[');
        foreach (var a in element.Attributes)
        {
            sb.Append('{').Append(a.Namespace).Append('}').Append(a.Name).Append('=').Append(Quote(a.Value)).Append(';');
        }

        sb.Append("](");
        foreach (var child in element.Children)
        {
            switch (child)
            {
                case XmlElement e:
                    Describe(e, sb);
                    break;
                case XmlText t:
                    sb.Append(Quote(t.Value));
                    break;
            }

            sb.Append(',');
        }

        sb.Append(')');
    }

    private static string Quote(string s) =>
        "\"" + string.Concat(s.Select(c => c is < ' ' or '"' or '\\' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"";
}
