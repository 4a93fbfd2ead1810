using System.Buffers;
using BenchmarkDotNet.Attributes;
using Converge.Xmpp.Xml;

namespace Converge.Benchmarks;

/// <summary>
/// The XML tokenizer: stanzas per operation from one contiguous buffer, and from 1,460-byte
/// segments (what TCP reads hand the pipe) so that tokens split across segments are included.
/// Each operation is one stanza parsed into its element tree.
/// </summary>
public class XmppStreamParserBenchmarks
{
    private const int StanzaCount = 512;

    private readonly XmppStreamParser _parser = new(new XmlLimits());
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = StanzaCorpus.Stream(StanzaCount);
        _contiguous = new ReadOnlySequence<byte>(bytes);
        _segmented = Segments.Split(bytes, 1460);
    }

    [Benchmark(OperationsPerInvoke = StanzaCount, Baseline = true)]
    public int Contiguous() => Parse(_contiguous);

    [Benchmark(OperationsPerInvoke = StanzaCount)]
    public int Segmented() => Parse(_segmented);

    private int Parse(ReadOnlySequence<byte> input)
    {
        _parser.Reset();
        var buffer = input;
        var elements = 0;
        while (_parser.TryRead(ref buffer, out var ev))
        {
            if (ev.Kind == XmppStreamEventKind.Element)
            {
                elements++;
            }
        }

        return elements == StanzaCount ? elements : throw new InvalidOperationException($"parsed {elements} of {StanzaCount} stanzas");
    }
}
