using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Converge.Bench.Scenarios;

/// <summary>
/// The chat message the load sends: &lt;message to=partner type=chat&gt; with a body that starts with
/// the sender's Stopwatch timestamp (the receiver is in the same process, so the clocks agree) and
/// is padded with text to the configured body size.
/// </summary>
internal sealed class ChatMessage
{
    private const string Filler = "The quick brown fox jumps over the lazy dog while the messaging server carries every word to its partner. ";

    private static readonly byte[] Suffix = "</body></message>"u8.ToArray();

    private readonly byte[] _prefix;
    private readonly byte[] _padding;

    public ChatMessage(string to, int bodySize)
    {
        _prefix = Encoding.UTF8.GetBytes($"<message to='{to}' type='chat'><body>");
        var padding = new StringBuilder(" ");
        while (padding.Length < bodySize - 19)
        {
            padding.Append(Filler);
        }

        _padding = Encoding.UTF8.GetBytes(padding.ToString(0, Math.Max(1, bodySize - 19)));
    }

    public void Write(IBufferWriter<byte> output, long timestamp)
    {
        var span = output.GetSpan(_prefix.Length + 20 + _padding.Length + Suffix.Length);
        _prefix.CopyTo(span);
        var at = _prefix.Length;
        Utf8Formatter.TryFormat(timestamp, span[at..], out var written);
        at += written;
        _padding.CopyTo(span[at..]);
        at += _padding.Length;
        Suffix.CopyTo(span[at..]);
        output.Advance(at + Suffix.Length);
    }

    /// <summary>The sender's timestamp at the start of a received body, if there is one.</summary>
    public static bool TryReadTimestamp(ReadOnlySpan<byte> body, out long timestamp) =>
        Utf8Parser.TryParse(body, out timestamp, out var consumed) && consumed > 0;
}
