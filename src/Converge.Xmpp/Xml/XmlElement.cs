namespace Converge.Xmpp.Xml;

/// <summary>
/// A small mutable element tree for one stanza: name, namespace URI (resolved from prefixes
/// by the parser), attributes and children. Deliberately minimal: stanzas are parsed once,
/// routed, and serialized again by <see cref="XmlWriter"/>.
/// </summary>
public sealed class XmlElement : XmlNode
{
    private List<XmlAttribute>? _attributes;
    private List<XmlNode>? _children;

    public XmlElement(string name, string ns)
    {
        Name = name;
        Namespace = ns;
    }

    /// <summary>Local name, without prefix.</summary>
    public string Name { get; }

    /// <summary>Namespace URI; "" when none is in scope.</summary>
    public string Namespace { get; }

    public IReadOnlyList<XmlAttribute> Attributes => (IReadOnlyList<XmlAttribute>?)_attributes ?? [];

    public IReadOnlyList<XmlNode> Children => (IReadOnlyList<XmlNode>?)_children ?? [];

    public bool HasChildren => _children is { Count: > 0 };

    public string? GetAttribute(string name, string ns = "")
    {
        if (_attributes is null)
        {
            return null;
        }

        foreach (var a in _attributes)
        {
            if (a.Name == name && a.Namespace == ns)
            {
                return a.Value;
            }
        }

        return null;
    }

    /// <summary>Sets or (with a null value) removes an attribute. Returns this for chaining.</summary>
    public XmlElement SetAttribute(string name, string? value, string ns = "")
    {
        _attributes ??= [];
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (_attributes[i].Name == name && _attributes[i].Namespace == ns)
            {
                if (value is null)
                {
                    _attributes.RemoveAt(i);
                }
                else
                {
                    _attributes[i] = new XmlAttribute(name, value, ns);
                }

                return this;
            }
        }

        if (value is not null)
        {
            _attributes.Add(new XmlAttribute(name, value, ns));
        }

        return this;
    }

    public XmlElement Add(XmlNode child)
    {
        (_children ??= []).Add(child);
        return this;
    }

    public XmlElement AddText(string text) => text.Length == 0 ? this : Add(new XmlText(text));

    /// <summary>Adds a new child element and returns the child.</summary>
    public XmlElement AddElement(string name, string? ns = null)
    {
        var child = new XmlElement(name, ns ?? Namespace);
        Add(child);
        return child;
    }

    public bool Remove(XmlNode child) => _children?.Remove(child) ?? false;

    public int RemoveAll(Predicate<XmlNode> match) => _children?.RemoveAll(match) ?? 0;

    public XmlElement? Element(string name, string ns)
    {
        if (_children is null)
        {
            return null;
        }

        foreach (var c in _children)
        {
            if (c is XmlElement e && e.Name == name && e.Namespace == ns)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>The first child element, whatever its name (e.g. the payload of an IQ).</summary>
    public XmlElement? FirstElement()
    {
        if (_children is null)
        {
            return null;
        }

        foreach (var c in _children)
        {
            if (c is XmlElement e)
            {
                return e;
            }
        }

        return null;
    }

    public IEnumerable<XmlElement> Elements()
    {
        if (_children is null)
        {
            yield break;
        }

        foreach (var c in _children)
        {
            if (c is XmlElement e)
            {
                yield return e;
            }
        }
    }

    public IEnumerable<XmlElement> Elements(string name, string ns)
    {
        foreach (var e in Elements())
        {
            if (e.Name == name && e.Namespace == ns)
            {
                yield return e;
            }
        }
    }

    /// <summary>Concatenated direct text children.</summary>
    public string Text
    {
        get
        {
            if (_children is null)
            {
                return "";
            }

            if (_children.Count == 1 && _children[0] is XmlText only)
            {
                return only.Value;
            }

            var sb = new System.Text.StringBuilder();
            foreach (var c in _children)
            {
                if (c is XmlText t)
                {
                    sb.Append(t.Value);
                }
            }

            return sb.ToString();
        }
    }

    public string? ChildText(string name, string ns) => Element(name, ns)?.Text;

    public override XmlNode DeepClone() => Clone();

    public XmlElement Clone()
    {
        var copy = new XmlElement(Name, Namespace);
        if (_attributes is not null)
        {
            copy._attributes = [.. _attributes];
        }

        if (_children is not null)
        {
            copy._children = new List<XmlNode>(_children.Count);
            foreach (var c in _children)
            {
                copy._children.Add(c.DeepClone());
            }
        }

        return copy;
    }

    /// <summary>A copy with the same name, namespace and attributes but a new namespace (e.g. jabber:server ↔ jabber:client).</summary>
    public XmlElement CloneAs(string ns)
    {
        var copy = new XmlElement(Name, ns);
        if (_attributes is not null)
        {
            copy._attributes = [.. _attributes];
        }

        if (_children is not null)
        {
            copy._children = new List<XmlNode>(_children.Count);
            foreach (var c in _children)
            {
                copy._children.Add(c is XmlElement e && e.Namespace == Namespace ? e.CloneAs(ns) : c.DeepClone());
            }
        }

        return copy;
    }

    public override string ToString() => XmlWriter.ToXmlString(this);
}
