using System.Buffers;
using Converge.Interworking.Email;

namespace Converge.Fuzz.Targets;

/// <summary>
/// The SMTP listener's reading side (RFC 5321): command lines through SmtpCommandParser (which
/// parses the mailbox paths and ESMTP parameters), and after each DATA the message bytes through
/// SmtpDataReader in reads of a fuzzed size, then the commands that follow. A refused command is
/// a reply (out SmtpReply), never an exception.
/// </summary>
internal sealed class SmtpTarget : IFuzzTarget
{
    private const int MaxLineLength = 1000; // RFC 5321 §4.5.3.1.6, as the session uses it
    private const long MaxMessageBytes = 64 * 1024;

    public string Name => "smtp";

    public void Run(ReadOnlySpan<byte> input)
    {
        var size = ChunkedInput.ChunkSize(input);
        var rest = ChunkedInput.Body(input);
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.Length > MaxLineLength)
            {
                continue; // the session answers "line too long" without parsing it
            }

            if (SmtpCommandParser.TryParse(line, out var command, out _) && command is DataCommand)
            {
                rest = ReadData(rest, size);
            }
        }
    }

    private static ReadOnlySpan<byte> ReadData(ReadOnlySpan<byte> data, int size)
    {
        var reader = new SmtpDataReader(MaxMessageBytes, MaxLineLength);
        for (var offset = 0; offset < data.Length; offset += size)
        {
            var read = new ReadOnlySequence<byte>(data.Slice(offset, Math.Min(size, data.Length - offset)).ToArray());
            if (reader.TryReadToEnd(read, out var consumed))
            {
                var next = offset + (int)read.Slice(read.Start, consumed).Length;
                if (reader.Consumed != next)
                {
                    throw new FuzzFindingException($"SmtpDataReader says it consumed {reader.Consumed} bytes but stopped at {next}.");
                }

                return data[next..];
            }
        }

        return [];
    }
}
