using System.Buffers;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>Builds a ReadOnlySequence from several segments, to feed parsers every split of an input (Bedrock's TestSequenceSegment).</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        var first = new Segments(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            var next = new Segments(part, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every way of cutting <paramref name="input"/> into two and three pieces.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> AllSplits(byte[] input)
    {
        yield return new ReadOnlySequence<byte>(input);
        for (var i = 0; i <= input.Length; i++)
        {
            yield return Of(input[..i], input[i..]);
            for (var j = i; j <= input.Length; j += 3)
            {
                yield return Of(input[..i], input[i..j], input[j..]);
            }
        }
    }
}
