using Converge.Interworking.Email;

namespace Converge.Fuzz.Targets;

/// <summary>
/// A received mail message as the interworking function reads it: MimeKit through Converge's
/// MimeParser (header repairs, RFC 2047/2231 decoding, body text selection, HTML to text), then
/// the reply trimmer on the text. The first byte picks lenient or strict mode. Neither step has a
/// documented error: whatever arrives after DATA is accepted mail, so nothing may throw.
/// </summary>
internal sealed class MimeTarget : IFuzzTarget
{
    private readonly MimeParser _lenient = new(MimeParsingMode.Lenient);
    private readonly MimeParser _strict = new(MimeParsingMode.Strict);

    public string Name => "mime";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var parser = (input[0] & 1) == 0 ? _lenient : _strict;
        var mail = parser.Parse(input[1..].ToArray());
        _ = ReplyTextExtractor.ExtractReplyText(mail);
    }
}
