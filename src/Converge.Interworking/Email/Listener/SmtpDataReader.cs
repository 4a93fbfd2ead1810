using System.Buffers;

namespace Converge.Interworking.Email;

/// <summary>
/// Reads message data after DATA, without I/O (the session feeds it what arrives): removes the
/// dot-stuffing (RFC 5321 §4.5.2), ends only at CRLF "." CRLF (a "." line after or before a bare LF
/// is data, never the end: no SMTP smuggling), stores bare LF as CRLF and reports it, and enforces
/// the size and line limits on the bytes themselves: past the size limit the bytes are counted and
/// dropped, so the whole message can be refused after its end is read.
/// </summary>
internal sealed class SmtpDataReader(long maxBytes, int maxLineLength)
{
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly int _maxLineContent = Math.Max(1, maxLineLength - 2);
    private State _state = State.LineStart;
    private int _lineLength;

    private enum State
    {
        LineStart,
        InLine,
        SawCr,
        Dot,
        DotCr,
    }

    /// <summary>The message bytes so far (empty once the size limit was passed).</summary>
    public ReadOnlyMemory<byte> Message => Overflowed ? ReadOnlyMemory<byte>.Empty : _output.WrittenMemory;

    /// <summary>The unstuffed size in bytes, counted also past the limit (RFC 1870 size).</summary>
    public long Size { get; private set; }

    /// <summary>The raw bytes taken from the connection.</summary>
    public long Consumed { get; private set; }

    public bool Overflowed { get; private set; }

    public bool SawBareLineFeed { get; private set; }

    public bool LineTooLong { get; private set; }

    /// <summary>
    /// Reads <paramref name="buffer"/>; true when the end of data was found, <paramref name="consumed"/>
    /// then just past the final CRLF (bytes after it are the next command); otherwise the whole buffer
    /// is consumed.
    /// </summary>
    public bool TryReadToEnd(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        long offset = 0;
        foreach (var segment in buffer)
        {
            var span = segment.Span;
            var i = 0;
            while (i < span.Length)
            {
                var b = span[i];
                switch (_state)
                {
                    case State.LineStart when b == '.':
                        _state = State.Dot;
                        i++;
                        continue;
                    case State.LineStart:
                        _state = State.InLine;
                        continue; // the same byte, as part of a line
                    case State.InLine:
                        var stop = span[i..].IndexOfAny((byte)'\r', (byte)'\n');
                        var run = stop < 0 ? span[i..] : span[i..(i + stop)];
                        Write(run);
                        i += run.Length;
                        if (stop < 0)
                        {
                            continue;
                        }

                        if (span[i] == '\n')
                        {
                            // A line after a bare LF does not start after CRLF: its "." is data, so
                            // LF "." CRLF can never end the message (the SMTP smuggling variant).
                            SawBareLineFeed = true;
                            EndLine();
                            _state = State.InLine;
                        }
                        else
                        {
                            _state = State.SawCr;
                        }

                        i++;
                        continue;
                    case State.SawCr when b == '\n':
                        EndLine();
                        i++;
                        continue;
                    case State.SawCr:
                        Write("\r"u8); // a bare CR is data
                        _state = State.InLine;
                        continue;
                    case State.Dot when b == '\r':
                        _state = State.DotCr;
                        i++;
                        continue;
                    case State.Dot when b == '\n':
                        Write("."u8); // "." ended by a bare LF is data, not the end
                        _state = State.InLine;
                        continue;
                    case State.Dot:
                        _state = State.InLine; // the stuffed dot is dropped
                        continue;
                    case State.DotCr when b == '\n':
                        i++;
                        Consumed += offset + i;
                        consumed = buffer.GetPosition(offset + i);
                        return true;
                    case State.DotCr:
                        Write("\r"u8); // ".\rX": a stuffed dot, then a bare CR
                        _state = State.InLine;
                        continue;
                }
            }

            offset += span.Length;
        }

        Consumed += buffer.Length;
        consumed = buffer.End;
        return false;
    }

    private void EndLine()
    {
        Write("\r\n"u8, partOfLine: false);
        _lineLength = 0;
        _state = State.LineStart;
    }

    private void Write(ReadOnlySpan<byte> bytes, bool partOfLine = true)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (partOfLine)
        {
            _lineLength += bytes.Length;
            if (_lineLength > _maxLineContent)
            {
                LineTooLong = true;
            }
        }

        Size += bytes.Length;
        if (Size > maxBytes)
        {
            Overflowed = true;
        }

        if (!Overflowed)
        {
            _output.Write(bytes);
        }
    }
}
