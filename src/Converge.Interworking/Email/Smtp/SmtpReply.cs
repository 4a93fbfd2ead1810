using System.Buffers;
using System.Globalization;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// An SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text, which by
/// convention here start with the RFC 3463 enhanced status code ("5.1.1 User unknown").
/// </summary>
public sealed class SmtpReply
{
    public SmtpReply(int code, string text)
        : this(code, text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray())
    {
    }

    public SmtpReply(int code, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (code is < 200 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "SMTP reply codes are 2xx to 5xx");
        }

        Code = code;
        Lines = lines.Count == 0 ? [string.Empty] : [.. lines.Select(Clean)];
    }

    public int Code { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>The lines joined with spaces.</summary>
    public string Text => string.Join(' ', Lines);

    /// <summary>2xx (completed) or 3xx (intermediate).</summary>
    public bool IsPositive => Code < 400;

    /// <summary>4xx: try again later.</summary>
    public bool IsTransientFailure => Code is >= 400 and < 500;

    /// <summary>5xx: do not try again.</summary>
    public bool IsPermanentFailure => Code >= 500;

    public static SmtpReply Ok { get; } = new(250, "2.0.0 OK");

    /// <summary>550 5.1.1: the mailbox does not exist here.</summary>
    public static SmtpReply UnknownUser { get; } = new(550, "5.1.1 No such user here");

    /// <summary>451 4.3.0: a local problem; the client retries later.</summary>
    public static SmtpReply LocalError { get; } = new(451, "4.3.0 Local error in processing, try again later");

    /// <summary>Writes the reply as it goes on the wire: "250-first\r\n250 last\r\n".</summary>
    internal void WriteTo(IBufferWriter<byte> output)
    {
        var code = Code.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < Lines.Count; i++)
        {
            var line = $"{code}{(i == Lines.Count - 1 ? ' ' : '-')}{Lines[i]}\r\n";
            var span = output.GetSpan(line.Length);
            var written = Encoding.ASCII.GetBytes(line, span);
            output.Advance(written);
        }
    }

    public override string ToString() => $"{Code} {Text}";

    // Replies are ASCII lines: a hook's text never breaks the framing.
    private static string Clean(string line) =>
        string.Create(line.Length, line, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= ' ' and <= '~' ? c : '?';
            }
        });
}
