using System.Buffers;

namespace Converge.Bench.Xmpp;

/// <summary>What <see cref="ElementScanner.TryRead"/> found at the stream's top level.</summary>
internal enum ElementKind
{
    /// <summary>&lt;stream:stream ...&gt;, the stream header.</summary>
    StreamOpen,

    /// <summary>A complete top-level element: a stanza or a nonza.</summary>
    Element,

    /// <summary>&lt;/stream:stream&gt;.</summary>
    StreamClose,
}

/// <summary>
/// Frames the server's byte stream into top-level elements without parsing them: it only
/// follows '&lt;', '&gt;', quotes and nesting depth. A load generator needs no more than the
/// bytes of each stanza; the few facts it wants (name, an attribute, the body) are found
/// afterwards with <see cref="StanzaBytes"/>. An incomplete element is rescanned from its start
/// when more bytes arrive, which costs little for chat-sized stanzas.
/// </summary>
internal static class ElementScanner
{
    /// <summary>
    /// Finds the next top-level element in <paramref name="buffer"/>. On success
    /// <paramref name="buffer"/> is sliced past it; otherwise it is left as it was.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> element, out ElementKind kind)
    {
        var reader = new SequenceReader<byte>(buffer);
        var depth = 0;
        var start = buffer.Start;
        element = default;
        kind = ElementKind.Element;

        while (reader.TryAdvanceTo((byte)'<', advancePastDelimiter: false))
        {
            if (depth == 0)
            {
                start = reader.Position;
            }

            reader.Advance(1);
            if (!reader.TryPeek(out var next))
            {
                return false;
            }

            switch (next)
            {
                case (byte)'/':
                    if (!reader.TryAdvanceTo((byte)'>'))
                    {
                        return false;
                    }

                    if (depth == 0)
                    {
                        return Found(ref buffer, ref reader, start, ElementKind.StreamClose, out element, out kind);
                    }

                    if (--depth == 0)
                    {
                        return Found(ref buffer, ref reader, start, ElementKind.Element, out element, out kind);
                    }

                    break;

                case (byte)'?':
                    if (!reader.TryAdvanceTo((byte)'?') || !reader.TryAdvanceTo((byte)'>'))
                    {
                        return false;
                    }

                    break;

                case (byte)'!':
                    // Comments and CDATA are not sent by the servers measured; skip to the next '>'.
                    if (!reader.TryAdvanceTo((byte)'>'))
                    {
                        return false;
                    }

                    break;

                default:
                    var header = depth == 0 && reader.IsNext("stream:stream"u8);
                    if (!TrySkipStartTag(ref reader, out var empty))
                    {
                        return false;
                    }

                    if (header)
                    {
                        return Found(ref buffer, ref reader, start, ElementKind.StreamOpen, out element, out kind);
                    }

                    if (!empty)
                    {
                        depth++;
                    }
                    else if (depth == 0)
                    {
                        return Found(ref buffer, ref reader, start, ElementKind.Element, out element, out kind);
                    }

                    break;
            }
        }

        return false;
    }

    // Moves past the '>' of a start tag, stepping over quoted attribute values (which may hold '>').
    private static bool TrySkipStartTag(ref SequenceReader<byte> reader, out bool empty)
    {
        empty = false;
        var previous = (byte)0;
        while (true)
        {
            if (!reader.TryAdvanceToAny(">'\""u8, advancePastDelimiter: false))
            {
                return false;
            }

            if (reader.Consumed > 0)
            {
                reader.Rewind(1);
                reader.TryRead(out previous);
            }

            reader.TryRead(out var stop);
            if (stop == (byte)'>')
            {
                empty = previous == (byte)'/';
                return true;
            }

            if (!reader.TryAdvanceTo(stop))
            {
                return false;
            }
        }
    }

    private static bool Found(
        ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, SequencePosition start, ElementKind found,
        out ReadOnlySequence<byte> element, out ElementKind kind)
    {
        element = buffer.Slice(start, reader.Position);
        buffer = buffer.Slice(reader.Position);
        kind = found;
        return true;
    }
}
