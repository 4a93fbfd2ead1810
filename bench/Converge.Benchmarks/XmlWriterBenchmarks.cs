using System.Buffers;
using BenchmarkDotNet.Attributes;
using Converge.Xmpp.Xml;

namespace Converge.Benchmarks;

/// <summary>The stanza writer: a routed chat message and a presence broadcast, as the server writes them to a session.</summary>
public class XmlWriterBenchmarks
{
    private const string Client = "jabber:client";

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private XmlElement _message = null!;
    private XmlElement _presence = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = new XmlElement("message", Client)
            .SetAttribute("from", "alice@a.example/laptop")
            .SetAttribute("to", "bob@a.example")
            .SetAttribute("type", "chat")
            .SetAttribute("id", "m1a2b3c4");
        _message.AddElement("body").AddText("Are we still on for lunch at noon? I can book the table by the window & bring <the> cake.");
        _message.AddElement("active", "http://jabber.org/protocol/chatstates");
        _message.AddElement("stanza-id", "urn:xmpp:sid:0").SetAttribute("by", "bob@a.example").SetAttribute("id", "01HF2Q8Z7X9V3K");

        _presence = new XmlElement("presence", Client)
            .SetAttribute("from", "alice@a.example/laptop")
            .SetAttribute("to", "bob@a.example");
        _presence.AddElement("show").AddText("away");
        _presence.AddElement("status").AddText("In a meeting until 3");
        _presence.AddElement("c", "http://jabber.org/protocol/caps")
            .SetAttribute("hash", "sha-1").SetAttribute("node", "https://gajim.org").SetAttribute("ver", "QqNBuLkwyULJsbkN5g6WZ53rgeE=");
    }

    [Benchmark(Baseline = true)]
    public int Message()
    {
        _output.ResetWrittenCount();
        XmlWriter.Write(_output, _message, Client);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Presence()
    {
        _output.ResetWrittenCount();
        XmlWriter.Write(_output, _presence, Client);
        return _output.WrittenCount;
    }

    [Benchmark]
    public string MessageToString() => XmlWriter.ToXmlString(_message, Client);
}
