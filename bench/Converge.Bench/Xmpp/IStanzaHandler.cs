namespace Converge.Bench.Xmpp;

/// <summary>
/// What a scenario does with each top-level element a connection receives once it is logged in.
/// Called on the connection's read loop, one element at a time, in order; replies written to
/// <see cref="BenchConnection.Replies"/> are sent when the current read has been processed.
/// </summary>
internal interface IStanzaHandler
{
    /// <param name="receivedAt">Stopwatch timestamp of the read that delivered the element.</param>
    void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt);
}
