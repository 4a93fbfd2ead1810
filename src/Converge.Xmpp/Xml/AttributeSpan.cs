namespace Converge.Xmpp.Xml;

/// <summary>Where one attribute of the start tag being read lies in the parser's tag buffer.</summary>
internal struct AttributeSpan
{
    public int NameStart;
    public int NameLength;

    /// <summary>Offset of the prefix separator within the name, or -1 for an unprefixed name.</summary>
    public int Colon;

    /// <summary>Start of the value, already entity-decoded and normalized.</summary>
    public int ValueStart;
    public int ValueLength;

    /// <summary>xmlns or xmlns:p: becomes a namespace binding, not an attribute.</summary>
    public bool IsDeclaration;
}
