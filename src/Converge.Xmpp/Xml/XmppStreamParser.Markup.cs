namespace Converge.Xmpp.Xml;

/// <summary>The markup states: tags, attributes, the XML declaration and what RFC 6120 forbids.</summary>
public sealed partial class XmppStreamParser
{
    private static ReadOnlySpan<byte> CDataOpener => "CDATA["u8;

    private void ReadTagOpen(ReadOnlySpan<byte> span, ref int pos)
    {
        var b = span[pos];
        switch (b)
        {
            case (byte)'/':
                Consume(ref pos, 1);
                _tag.Clear();
                _state = ParserState.EndTagName;
                return;
            case (byte)'?':
                if (_level >= 0 || !_declarationAllowed)
                {
                    throw XmlErrors.RestrictedXml("processing instructions are not allowed");
                }

                Consume(ref pos, 1);
                _tag.Clear();
                _state = ParserState.Declaration;
                return;
            case (byte)'!':
                Consume(ref pos, 1);
                _state = ParserState.Bang;
                return;
        }

        if (!XmlChars.IsNameStartByte(b))
        {
            throw XmlErrors.NotWellFormed("invalid character after '<'");
        }

        _declarationAllowed = false;
        _tag.Clear();
        _attributeCount = 0;
        _state = ParserState.StartTagName;
    }

    private void ReadBang(ReadOnlySpan<byte> span, ref int pos)
    {
        var b = span[pos];
        if (b == '-')
        {
            throw XmlErrors.RestrictedXml("comments are not allowed");
        }

        if (b == '[' && _level > 0)
        {
            Consume(ref pos, 1);
            _matched = 0;
            _state = ParserState.CDataOpen;
            return;
        }

        if (b is >= (byte)'A' and <= (byte)'Z')
        {
            throw XmlErrors.RestrictedXml("DTDs and markup declarations are not allowed");
        }

        throw XmlErrors.NotWellFormed("invalid markup after '<!'");
    }

    private void ReadCDataOpen(ReadOnlySpan<byte> span, ref int pos)
    {
        if (span[pos] != CDataOpener[_matched])
        {
            throw XmlErrors.NotWellFormed("malformed CDATA section");
        }

        Consume(ref pos, 1);
        if (++_matched == CDataOpener.Length)
        {
            _brackets = 0;
            _state = ParserState.CData;
        }
    }

    /// <summary>After "&lt;?" before the stream header: collects up to "?&gt;" and accepts only an XML declaration.</summary>
    private void ReadDeclaration(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOf((byte)'>');
        var run = i < 0 ? rest : rest[..(i + 1)];
        Consume(ref pos, run.Length);
        _tag.Append(run);
        if (XmlDeclaration.IsOtherProcessingInstruction(_tag.Span))
        {
            throw XmlErrors.RestrictedXml("processing instructions are not allowed");
        }

        if (i >= 0 && _tag.Length >= 2 && _tag[_tag.Length - 2] == '?')
        {
            XmlDeclaration.Validate(_tag.Slice(0, _tag.Length - 2));
            _declarationAllowed = false;
            StopCounting();
            _state = ParserState.Content;
        }
    }

    /// <summary>
    /// Appends name bytes to the tag buffer. Returns the byte that ended the name (consumed), or -1
    /// when the span ended first.
    /// </summary>
    private int ReadName(ReadOnlySpan<byte> span, ref int pos, int nameStart)
    {
        var rest = span[pos..];
        var end = rest.IndexOfAnyExcept(XmlChars.NameBytes);
        var run = end < 0 ? rest : rest[..end];
        if (_tag.Length - nameStart + run.Length > Limits.MaxNameBytes)
        {
            throw XmlErrors.PolicyViolation($"a name exceeds {Limits.MaxNameBytes} bytes");
        }

        Consume(ref pos, run.Length);
        _tag.Append(run);
        if (end < 0)
        {
            return -1;
        }

        Consume(ref pos, 1);
        return rest[end];
    }

    private void ReadStartTagName(ReadOnlySpan<byte> span, ref int pos)
    {
        var end = ReadName(span, ref pos, 0);
        if (end < 0)
        {
            return;
        }

        _elementNameLength = _tag.Length;
        if (end == '>')
        {
            CompleteStartTag(empty: false);
        }
        else if (end == '/')
        {
            _state = ParserState.EmptyTagClose;
        }
        else if (XmlChars.IsWhitespace((byte)end))
        {
            _sawSpace = true;
            _state = ParserState.TagSpace;
        }
        else
        {
            throw XmlErrors.NotWellFormed("invalid character in an element name");
        }
    }

    /// <summary>Inside a start tag between attributes: whitespace, then an attribute, '/' or '&gt;'.</summary>
    private void ReadTagSpace(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            Consume(ref pos, rest.Length);
            _sawSpace = true;
            return;
        }

        if (i > 0)
        {
            Consume(ref pos, i);
            _sawSpace = true;
        }

        var b = rest[i];
        if (b == '>')
        {
            Consume(ref pos, 1);
            CompleteStartTag(empty: false);
        }
        else if (b == '/')
        {
            Consume(ref pos, 1);
            _state = ParserState.EmptyTagClose;
        }
        else if (XmlChars.IsNameStartByte(b))
        {
            if (!_sawSpace)
            {
                throw XmlErrors.NotWellFormed("attributes must be separated by whitespace");
            }

            if (_attributeCount >= Limits.MaxAttributes)
            {
                throw XmlErrors.PolicyViolation($"an element has more than {Limits.MaxAttributes} attributes");
            }

            if (_attributeCount == _attributes.Length)
            {
                Array.Resize(ref _attributes, _attributes.Length * 2);
            }

            _attributes[_attributeCount] = new AttributeSpan { NameStart = _tag.Length };
            _state = ParserState.AttributeName;
        }
        else
        {
            throw XmlErrors.NotWellFormed("invalid character in a start tag");
        }
    }

    private void ReadAttributeName(ReadOnlySpan<byte> span, ref int pos)
    {
        ref var attribute = ref _attributes[_attributeCount];
        var end = ReadName(span, ref pos, attribute.NameStart);
        if (end < 0)
        {
            return;
        }

        attribute.NameLength = _tag.Length - attribute.NameStart;
        var name = _tag.Slice(attribute.NameStart, attribute.NameLength);
        attribute.Colon = QualifiedNameColon(name);
        for (var i = 0; i < _attributeCount; i++)
        {
            if (name.SequenceEqual(_tag.Slice(_attributes[i].NameStart, _attributes[i].NameLength)))
            {
                throw XmlErrors.NotWellFormed("duplicate attribute");
            }
        }

        if (end == '=')
        {
            _state = ParserState.AttributeQuote;
        }
        else if (XmlChars.IsWhitespace((byte)end))
        {
            _state = ParserState.AttributeEquals;
        }
        else
        {
            throw XmlErrors.NotWellFormed("invalid character in an attribute name");
        }
    }

    private void ReadAttributeEquals(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            Consume(ref pos, rest.Length);
            return;
        }

        Consume(ref pos, i);
        if (rest[i] != '=')
        {
            throw XmlErrors.NotWellFormed("expected '=' after an attribute name");
        }

        Consume(ref pos, 1);
        _state = ParserState.AttributeQuote;
    }

    private void ReadAttributeQuote(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            Consume(ref pos, rest.Length);
            return;
        }

        Consume(ref pos, i);
        var b = rest[i];
        if (b is not ((byte)'\'' or (byte)'"'))
        {
            throw XmlErrors.NotWellFormed("an attribute value must be quoted");
        }

        Consume(ref pos, 1);
        _quote = b;
        _attributes[_attributeCount].ValueStart = _tag.Length;
        _state = ParserState.AttributeValue;
    }

    /// <summary>An attribute value: decoded and whitespace-normalized (XML 1.0 §3.3.3) into the tag buffer.</summary>
    private void ReadAttributeValue(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAny(_quote == '\'' ? XmlChars.AposValueStops : XmlChars.QuotValueStops);
        var run = i < 0 ? rest : rest[..i];
        Consume(ref pos, run.Length);
        _tag.Append(run);
        if (i < 0)
        {
            return;
        }

        var b = rest[i];
        Consume(ref pos, 1);
        if (b == _quote)
        {
            ref var attribute = ref _attributes[_attributeCount];
            attribute.ValueLength = _tag.Length - attribute.ValueStart;
            _attributeCount++;
            _sawSpace = false;
            _state = ParserState.TagSpace;
        }
        else if (b == '<')
        {
            throw XmlErrors.NotWellFormed("'<' is not allowed in an attribute value");
        }
        else if (b == '&')
        {
            _referenceLength = 0;
            _state = ParserState.AttributeReference;
        }
        else
        {
            // Tab, LF, CR (and CR LF) become one space.
            _tag.Append((byte)' ');
            _skipLineFeed = b == '\r';
        }
    }

    private void ReadEmptyTagClose(ReadOnlySpan<byte> span, ref int pos)
    {
        if (span[pos] != '>')
        {
            throw XmlErrors.NotWellFormed("expected '>' after '/' in a start tag");
        }

        Consume(ref pos, 1);
        CompleteStartTag(empty: true);
    }

    private void ReadEndTagName(ReadOnlySpan<byte> span, ref int pos)
    {
        var end = ReadName(span, ref pos, 0);
        if (end < 0)
        {
            return;
        }

        if (end == '>')
        {
            CompleteEndTag();
        }
        else if (XmlChars.IsWhitespace((byte)end))
        {
            _state = ParserState.EndTagSpace;
        }
        else
        {
            throw XmlErrors.NotWellFormed("invalid character in an end tag");
        }
    }

    private void ReadEndTagSpace(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            Consume(ref pos, rest.Length);
            return;
        }

        Consume(ref pos, i);
        if (rest[i] != '>')
        {
            throw XmlErrors.NotWellFormed("expected '>' to close an end tag");
        }

        Consume(ref pos, 1);
        CompleteEndTag();
    }

    /// <summary>The offset of ':' in a qualified name, or -1; rejects names Namespaces in XML does not allow.</summary>
    private static int QualifiedNameColon(ReadOnlySpan<byte> name)
    {
        var colon = name.IndexOf((byte)':');
        if (colon < 0)
        {
            return -1;
        }

        if (colon == 0 || colon == name.Length - 1 || name[(colon + 1)..].Contains((byte)':') || !XmlChars.IsNameStartByte(name[colon + 1]))
        {
            throw XmlErrors.NotWellFormed("malformed qualified name");
        }

        return colon;
    }
}
