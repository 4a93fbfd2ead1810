using BenchmarkDotNet.Attributes;
using Converge.Core.Addressing;

namespace Converge.Benchmarks;

/// <summary>JID parsing and preparation, which the router does for every stanza's to and from.</summary>
public class JidBenchmarks
{
    [Benchmark(Baseline = true)]
    public Jid ParseFull() => Jid.Parse("alice@a.example/laptop-7f3a");

    [Benchmark]
    public Jid ParseBare() => Jid.Parse("bob@a.example");

    [Benchmark]
    public Jid ParseMixedCase() => Jid.Parse("Carol.Smith@A.Example/Phone");
}
