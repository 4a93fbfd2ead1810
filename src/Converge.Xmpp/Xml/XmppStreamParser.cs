using System.Buffers;

namespace Converge.Xmpp.Xml;

/// <summary>
/// Incremental XMPP stream parser for the restricted XML of RFC 6120 §11. A byte-level state
/// machine: every byte is examined once and consumed, and the unfinished token or element is
/// kept here (bounded by <see cref="Limits"/>), so a stanza that arrives in many reads is never
/// scanned again from its start. Work stays on UTF-8 bytes until a complete tag becomes an
/// <see cref="XmlElement"/>; frequent names and namespaces come from shared string tables.
/// Not thread-safe: one parser per connection.
/// </summary>
public sealed partial class XmppStreamParser(XmlLimits limits)
{
    private const int MaxReferenceLength = 32;

    private readonly ByteBuffer _tag = new(256);
    private readonly ByteBuffer _text = new(256);
    private readonly ByteBuffer _openNames = new(64);
    private readonly List<int> _openNameStarts = [];
    private readonly List<XmlElement> _open = [];
    private readonly NamespaceScope _scope = new();
    private readonly ParserStrings _strings = new();
    private readonly byte[] _reference = new byte[MaxReferenceLength];
    private AttributeSpan[] _attributes = new AttributeSpan[4];
    private List<(string Prefix, string Uri)>? _streamDeclarations;

    private ParserState _state;

    /// <summary>-1 before the stream header, 0 between stanzas, n inside a stanza at depth n.</summary>
    private int _level = -1;
    private bool _closed;
    private bool _declarationAllowed = true;
    private bool _sawSpace;
    private bool _skipLineFeed;
    private byte _quote;
    private int _matched;
    private int _brackets;
    private int _referenceLength;
    private int _attributeCount;
    private int _elementNameLength;

    /// <summary>Raw bytes of the current stanza or stream header so far, against <see cref="_elementByteLimit"/>.</summary>
    private long _elementBytes;
    private long _elementByteLimit = long.MaxValue;

    private XmppStreamEvent _event;
    private bool _hasEvent;
    private bool _pendingClose;

    public XmlLimits Limits { get; } = limits ?? throw new ArgumentNullException(nameof(limits));

    /// <summary>The default namespace the stream header declared (jabber:client, jabber:server), or "" before it.</summary>
    public string ContentNamespace { get; private set; } = "";

    /// <summary>
    /// Reads at most one event from <paramref name="buffer"/>, slicing off every byte it has consumed
    /// (including bytes of an incomplete element, which it keeps in its own bounded state).
    /// Returns false when the buffer holds no complete event yet; the caller then advances its
    /// PipeReader to buffer.Start (consumed) / buffer.End (examined) and waits for more bytes.
    /// Throws <see cref="XmlStreamException"/> on a violation.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out XmppStreamEvent streamEvent)
    {
        if (_pendingClose)
        {
            _pendingClose = false;
            streamEvent = new XmppStreamEvent(XmppStreamEventKind.StreamClose, null);
            return true;
        }

        if (buffer.IsSingleSegment)
        {
            buffer = buffer.Slice(Process(buffer.FirstSpan));
        }
        else
        {
            var next = buffer.Start;
            var segmentStart = next;
            var consumed = 0;
            while (buffer.TryGet(ref next, out var memory))
            {
                consumed = Process(memory.Span);
                if (_hasEvent)
                {
                    break;
                }

                segmentStart = next;
            }

            buffer = _hasEvent ? buffer.Slice(buffer.GetPosition(consumed, segmentStart)) : buffer.Slice(buffer.End);
        }

        if (!_hasEvent)
        {
            streamEvent = default;
            return false;
        }

        streamEvent = _event;
        _event = default;
        _hasEvent = false;
        return true;
    }

    /// <summary>Forgets everything: used when the stream restarts after STARTTLS or SASL success.</summary>
    public void Reset()
    {
        _state = ParserState.Start;
        _level = -1;
        _closed = false;
        _declarationAllowed = true;
        _sawSpace = false;
        _skipLineFeed = false;
        _quote = 0;
        _matched = 0;
        _brackets = 0;
        _referenceLength = 0;
        _attributeCount = 0;
        _elementNameLength = 0;
        _tag.Release();
        _text.Release();
        _openNames.Release();
        _openNameStarts.Clear();
        _open.Clear();
        _scope.Clear();
        _streamDeclarations = null;
        ContentNamespace = "";
        StopCounting();
        _event = default;
        _hasEvent = false;
        _pendingClose = false;
    }

    /// <summary>The namespace the stream header bound to <paramref name="prefix"/> (e.g. "db" for dialback), or null.</summary>
    public string? LookupStreamNamespace(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (_streamDeclarations is not null)
        {
            for (var i = _streamDeclarations.Count - 1; i >= 0; i--)
            {
                if (_streamDeclarations[i].Prefix == prefix)
                {
                    return _streamDeclarations[i].Uri;
                }
            }
        }

        return null;
    }

    /// <summary>Runs the state machine over one contiguous span until it ends or an event is complete; returns the bytes consumed.</summary>
    private int Process(ReadOnlySpan<byte> span)
    {
        var pos = 0;
        while (pos < span.Length && !_hasEvent)
        {
            if (_skipLineFeed)
            {
                // CR LF was already written as one LF (or one space in an attribute value).
                _skipLineFeed = false;
                if (span[pos] == '\n')
                {
                    Consume(ref pos, 1);
                    continue;
                }
            }

            switch (_state)
            {
                case ParserState.Start:
                    ReadStart(span, ref pos);
                    break;
                case ParserState.ByteOrderMark:
                    ReadByteOrderMark(span, ref pos);
                    break;
                case ParserState.Content when _level > 0:
                    ReadText(span, ref pos);
                    break;
                case ParserState.Content:
                    ReadBetweenStanzas(span, ref pos);
                    break;
                case ParserState.TagOpen:
                    ReadTagOpen(span, ref pos);
                    break;
                case ParserState.Declaration:
                    ReadDeclaration(span, ref pos);
                    break;
                case ParserState.Bang:
                    ReadBang(span, ref pos);
                    break;
                case ParserState.CDataOpen:
                    ReadCDataOpen(span, ref pos);
                    break;
                case ParserState.CData:
                    ReadCData(span, ref pos);
                    break;
                case ParserState.StartTagName:
                    ReadStartTagName(span, ref pos);
                    break;
                case ParserState.TagSpace:
                    ReadTagSpace(span, ref pos);
                    break;
                case ParserState.AttributeName:
                    ReadAttributeName(span, ref pos);
                    break;
                case ParserState.AttributeEquals:
                    ReadAttributeEquals(span, ref pos);
                    break;
                case ParserState.AttributeQuote:
                    ReadAttributeQuote(span, ref pos);
                    break;
                case ParserState.AttributeValue:
                    ReadAttributeValue(span, ref pos);
                    break;
                case ParserState.EmptyTagClose:
                    ReadEmptyTagClose(span, ref pos);
                    break;
                case ParserState.EndTagName:
                    ReadEndTagName(span, ref pos);
                    break;
                case ParserState.EndTagSpace:
                    ReadEndTagSpace(span, ref pos);
                    break;
                case ParserState.TextReference:
                    ReadReference(span, ref pos, _text, ParserState.Content);
                    break;
                case ParserState.AttributeReference:
                    ReadReference(span, ref pos, _tag, ParserState.AttributeValue);
                    break;
                default:
                    throw new InvalidOperationException($"unknown parser state {_state}");
            }
        }

        return pos;
    }

    /// <summary>Moves past <paramref name="count"/> bytes, charging them to the stanza or header being read.</summary>
    private void Consume(ref int pos, int count)
    {
        pos += count;
        _elementBytes += count;
        if (_elementBytes > _elementByteLimit)
        {
            throw _level < 0
                ? XmlErrors.PolicyViolation($"the stream header exceeds {Limits.MaxStreamHeaderBytes} bytes")
                : XmlErrors.PolicyViolation($"a stanza exceeds {Limits.MaxStanzaBytes} bytes");
        }
    }

    private void StartCounting()
    {
        _elementBytes = 0;
        _elementByteLimit = _level < 0 ? Limits.MaxStreamHeaderBytes : Limits.MaxStanzaBytes;
    }

    private void StopCounting()
    {
        _elementBytes = 0;
        _elementByteLimit = long.MaxValue;
    }

    private void Emit(XmppStreamEventKind kind, XmlElement? element)
    {
        _event = new XmppStreamEvent(kind, element);
        _hasEvent = true;
    }

    private void ReadStart(ReadOnlySpan<byte> span, ref int pos)
    {
        var b = span[pos];
        if (b == 0xEF)
        {
            Consume(ref pos, 1);
            _matched = 1;
            _state = ParserState.ByteOrderMark;
        }
        else if (b is 0xFE or 0xFF or 0x00)
        {
            throw XmlErrors.UnsupportedEncoding("only UTF-8 is supported");
        }
        else
        {
            _state = ParserState.Content;
        }
    }

    private void ReadByteOrderMark(ReadOnlySpan<byte> span, ref int pos)
    {
        if (span[pos] != (_matched == 1 ? 0xBB : 0xBF))
        {
            throw XmlErrors.NotWellFormed("invalid UTF-8 byte order mark");
        }

        Consume(ref pos, 1);
        if (++_matched == 3)
        {
            _state = ParserState.Content;
        }
    }

    /// <summary>Before the header, between stanzas and after the close: only whitespace (keepalives) or markup.</summary>
    private void ReadBetweenStanzas(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            Consume(ref pos, rest.Length);
            return;
        }

        Consume(ref pos, i);
        if (rest[i] != '<')
        {
            throw XmlErrors.NotWellFormed(_level < 0 ? "text before the stream header" : "text outside of a stanza");
        }

        if (_closed)
        {
            throw XmlErrors.NotWellFormed("markup after the end of the stream");
        }

        StartCounting();
        Consume(ref pos, 1);
        _state = ParserState.TagOpen;
    }

    /// <summary>Character data inside a stanza: copies runs up to the next byte that needs attention.</summary>
    private void ReadText(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAny(XmlChars.TextStops);
        var run = i < 0 ? rest : rest[..i];
        if (!run.IsEmpty)
        {
            Consume(ref pos, run.Length);
            _text.Append(run);
            _brackets = TrailingBrackets(run, _brackets);
        }

        if (i < 0)
        {
            return;
        }

        var b = rest[i];
        Consume(ref pos, 1);
        switch (b)
        {
            case (byte)'<':
                _brackets = 0;
                _state = ParserState.TagOpen;
                break;
            case (byte)'&':
                _brackets = 0;
                _referenceLength = 0;
                _state = ParserState.TextReference;
                break;
            case (byte)'\r':
                _brackets = 0;
                _text.Append((byte)'\n');
                _skipLineFeed = true;
                break;
            default: // '>'
                if (_brackets >= 2)
                {
                    throw XmlErrors.NotWellFormed("']]>' is not allowed in character data");
                }

                _text.Append((byte)'>');
                _brackets = 0;
                break;
        }
    }

    /// <summary>How many ']' end the raw character data so far (up to 2), to catch a literal "]]>".</summary>
    private static int TrailingBrackets(ReadOnlySpan<byte> run, int previous)
    {
        var n = 0;
        while (n < 2 && n < run.Length && run[run.Length - 1 - n] == ']')
        {
            n++;
        }

        return n == run.Length ? Math.Min(2, previous + n) : n;
    }

    /// <summary>Inside &lt;![CDATA[ ... ]]&gt;: the content is plain text; <see cref="_brackets"/> holds ']' not yet known to be content.</summary>
    private void ReadCData(ReadOnlySpan<byte> span, ref int pos)
    {
        if (_brackets == 0)
        {
            var rest = span[pos..];
            var i = rest.IndexOfAny(XmlChars.CDataStops);
            var run = i < 0 ? rest : rest[..i];
            Consume(ref pos, run.Length);
            _text.Append(run);
            if (i < 0)
            {
                return;
            }
        }

        var b = span[pos];
        Consume(ref pos, 1);
        if (b == ']')
        {
            if (_brackets < 2)
            {
                _brackets++;
            }
            else
            {
                _text.Append((byte)']');
            }

            return;
        }

        if (b == '>' && _brackets == 2)
        {
            _brackets = 0;
            _state = ParserState.Content;
            return;
        }

        for (; _brackets > 0; _brackets--)
        {
            _text.Append((byte)']');
        }

        if (b == '\r')
        {
            _text.Append((byte)'\n');
            _skipLineFeed = true;
        }
        else
        {
            _text.Append(b);
        }
    }

    /// <summary>After '&amp;': collects the reference up to ';' and appends what it stands for to <paramref name="target"/>.</summary>
    private void ReadReference(ReadOnlySpan<byte> span, ref int pos, ByteBuffer target, ParserState next)
    {
        while (pos < span.Length)
        {
            var b = span[pos];
            Consume(ref pos, 1);
            if (b == ';')
            {
                EntityReference.Resolve(_reference.AsSpan(0, _referenceLength), target);
                _state = next;
                return;
            }

            if (_referenceLength == MaxReferenceLength)
            {
                throw _reference[0] == '#'
                    ? XmlErrors.NotWellFormed("character reference too long")
                    : XmlErrors.RestrictedXml("entity references other than the predefined ones are not allowed");
            }

            if (b != '#' && !XmlChars.NameBytes.Contains(b))
            {
                throw XmlErrors.NotWellFormed("unterminated entity reference");
            }

            _reference[_referenceLength++] = b;
        }
    }
}
