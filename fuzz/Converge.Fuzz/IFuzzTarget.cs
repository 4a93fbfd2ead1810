namespace Converge.Fuzz;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> feeds it one input the way the server would; the
/// parser's documented error type is caught inside, so anything that escapes is a finding
/// (SharpFuzz reports an uncaught exception to afl-fuzz as a crash).
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name scripts/fuzz.sh and fuzz/corpus/NAME use.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
