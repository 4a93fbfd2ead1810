namespace Converge.Xmpp.Xml;

/// <summary>Turning complete tags into elements: namespace resolution, interning and the open-element stack.</summary>
public sealed partial class XmppStreamParser
{
    private void CompleteStartTag(bool empty)
    {
        _state = ParserState.Content;
        var qualifiedName = _tag.Slice(0, _elementNameLength);
        var colon = QualifiedNameColon(qualifiedName);
        if (_level >= 0 && _level + 1 > Limits.MaxDepth)
        {
            throw XmlErrors.PolicyViolation($"elements nested deeper than {Limits.MaxDepth}");
        }

        _scope.PushElement();
        DeclareNamespaces();
        var element = CreateElement(qualifiedName, colon);
        AddAttributes(element);

        if (_level < 0)
        {
            OpenStream(element, qualifiedName, empty);
            return;
        }

        if (_level > 0)
        {
            var parent = _open[^1];
            FlushText(parent);
            parent.Add(element);
        }

        if (empty)
        {
            _scope.PopElement();
            if (_level == 0)
            {
                EmitStanza(element);
            }

            return;
        }

        _open.Add(element);
        PushOpenName(qualifiedName);
        _level++;
    }

    private void OpenStream(XmlElement header, ReadOnlySpan<byte> qualifiedName, bool empty)
    {
        if (header.Name != "stream" || header.Namespace != XmlNamespaceNames.Streams)
        {
            throw XmlErrors.InvalidNamespace("the stream header must be <stream> in the http://etherx.jabber.org/streams namespace");
        }

        ContentNamespace = _scope.Resolve("") ?? "";
        StopCounting();
        _level = 0;
        Emit(XmppStreamEventKind.StreamOpen, header);
        if (empty)
        {
            _scope.Clear();
            _closed = true;
            _pendingClose = true;
        }
        else
        {
            PushOpenName(qualifiedName);
        }
    }

    private void CompleteEndTag()
    {
        _state = ParserState.Content;
        if (_level < 0)
        {
            throw XmlErrors.NotWellFormed("an end tag before the stream header");
        }

        var start = _openNameStarts[^1];
        if (!_tag.Span.SequenceEqual(_openNames.Span[start..]))
        {
            throw XmlErrors.NotWellFormed("mismatched end tag");
        }

        _openNames.Truncate(start);
        _openNameStarts.RemoveAt(_openNameStarts.Count - 1);

        if (_level == 0)
        {
            _closed = true;
            _scope.Clear();
            StopCounting();
            Emit(XmppStreamEventKind.StreamClose, null);
            return;
        }

        var element = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        FlushText(element);
        _scope.PopElement();
        if (--_level == 0)
        {
            EmitStanza(element);
        }
    }

    private void EmitStanza(XmlElement element)
    {
        StopCounting();
        _tag.Release();
        _text.Release();
        Emit(XmppStreamEventKind.Element, element);
    }

    private void PushOpenName(ReadOnlySpan<byte> qualifiedName)
    {
        _openNameStarts.Add(_openNames.Length);
        _openNames.Append(qualifiedName);
    }

    private void FlushText(XmlElement element)
    {
        if (_text.Length > 0)
        {
            element.Add(new XmlText(XmlChars.DecodeText(_text.Span)));
            _text.Clear();
        }
    }

    /// <summary>Binds the element's xmlns and xmlns:p attributes; they are declarations, not attributes.</summary>
    private void DeclareNamespaces()
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            ref var attribute = ref _attributes[i];
            var name = _tag.Slice(attribute.NameStart, attribute.NameLength);
            string prefix;
            if (attribute.Colon < 0 && name.SequenceEqual("xmlns"u8))
            {
                prefix = "";
            }
            else if (attribute.Colon == 5 && name.StartsWith("xmlns"u8))
            {
                prefix = _strings.Name(name[6..]);
            }
            else
            {
                attribute.IsDeclaration = false;
                continue;
            }

            attribute.IsDeclaration = true;
            var uri = _strings.Namespace(_tag.Slice(attribute.ValueStart, attribute.ValueLength));
            if (prefix == "xmlns")
            {
                throw XmlErrors.NotWellFormed("the xmlns prefix cannot be declared");
            }

            if (prefix == "xml" ? uri != XmlNamespaceNames.Xml : uri is XmlNamespaceNames.Xml or XmlNamespaceNames.Xmlns)
            {
                throw XmlErrors.NotWellFormed("the xml and xmlns namespaces are bound only to their own prefixes");
            }

            if (prefix.Length > 0 && uri.Length == 0)
            {
                throw XmlErrors.NotWellFormed($"the namespace prefix '{prefix}' cannot be undeclared");
            }

            _scope.Declare(prefix, uri);
            if (_level < 0)
            {
                (_streamDeclarations ??= []).Add((prefix, uri));
            }
        }
    }

    private XmlElement CreateElement(ReadOnlySpan<byte> qualifiedName, int colon)
    {
        if (colon < 0)
        {
            return new XmlElement(_strings.Name(qualifiedName), _scope.Resolve("") ?? "");
        }

        var ns = ResolvePrefix(qualifiedName[..colon]);
        return new XmlElement(_strings.Name(qualifiedName[(colon + 1)..]), ns);
    }

    private void AddAttributes(XmlElement element)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            ref readonly var attribute = ref _attributes[i];
            if (attribute.IsDeclaration)
            {
                continue;
            }

            var qualifiedName = _tag.Slice(attribute.NameStart, attribute.NameLength);
            var value = _strings.Value(_tag.Slice(attribute.ValueStart, attribute.ValueLength));
            if (attribute.Colon < 0 || qualifiedName.StartsWith("xml:"u8))
            {
                // Unprefixed, or xml:lang and friends, which keep their prefix and an empty namespace.
                element.SetAttribute(_strings.Name(qualifiedName), value);
                continue;
            }

            var ns = ResolvePrefix(qualifiedName[..attribute.Colon]);
            var name = _strings.Name(qualifiedName[(attribute.Colon + 1)..]);
            if (element.GetAttribute(name, ns) is not null)
            {
                throw XmlErrors.NotWellFormed("duplicate attribute");
            }

            element.SetAttribute(name, value, ns);
        }
    }

    private string ResolvePrefix(ReadOnlySpan<byte> prefixUtf8)
    {
        if (prefixUtf8.SequenceEqual("xml"u8))
        {
            return XmlNamespaceNames.Xml;
        }

        if (prefixUtf8.SequenceEqual("xmlns"u8))
        {
            throw XmlErrors.NotWellFormed("the xmlns prefix cannot qualify a name");
        }

        var prefix = _strings.Name(prefixUtf8);
        return _scope.Resolve(prefix) ?? throw XmlErrors.BadNamespacePrefix($"undeclared namespace prefix '{prefix}'");
    }
}
