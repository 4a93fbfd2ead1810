using System.Buffers;

namespace Converge.Fuzz;

/// <summary>
/// Cuts an input into the reads a connection would see: the first byte chooses the read size
/// (1..256), so the fuzzer explores splits of a token across reads as well as the bytes themselves.
/// </summary>
internal static class ChunkedInput
{
    public static int ChunkSize(ReadOnlySpan<byte> input) => input.IsEmpty ? 1 : input[0] + 1;

    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> input) => input.IsEmpty ? input : input[1..];

    /// <summary>The body as one sequence of several segments of the chosen size (segment boundaries inside tokens).</summary>
    public static ReadOnlySequence<byte> AsSegments(ReadOnlySpan<byte> input)
    {
        var body = Body(input);
        var size = ChunkSize(input);
        if (body.Length <= size)
        {
            return new ReadOnlySequence<byte>(body.ToArray());
        }

        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < body.Length; offset += size)
        {
            var piece = body.Slice(offset, Math.Min(size, body.Length - offset)).ToArray();
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
