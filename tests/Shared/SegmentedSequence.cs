using System.Buffers;

namespace Converge.Testing;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the way a socket or a PipeReader hands over
/// bytes that span buffers, to feed parsers every split of an input. Shared by the test projects
/// (linked from tests/Shared by tests/Directory.Build.props).
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>One segment per part, in order (the empty sequence for no parts).</summary>
    public static ReadOnlySequence<byte> Create(params byte[][] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes cut at the given offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var cut in cuts.Order())
        {
            pieces.Add(bytes[start..cut]);
            start = cut;
        }

        pieces.Add(bytes[start..]);
        return Create([.. pieces]);
    }

    /// <summary>Every byte in a segment of its own.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) =>
        Create([.. bytes.Select(b => new[] { b })]);

    /// <summary>Every way of cutting <paramref name="input"/> into two and three pieces (and the input whole, first).</summary>
    public static IEnumerable<ReadOnlySequence<byte>> AllSplits(byte[] input)
    {
        yield return new ReadOnlySequence<byte>(input);
        for (var i = 0; i <= input.Length; i++)
        {
            yield return Create(input[..i], input[i..]);
            for (var j = i; j <= input.Length; j += 3)
            {
                yield return Create(input[..i], input[i..j], input[j..]);
            }
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
