namespace Converge.Xmpp.Xml;

/// <summary>Where the stream parser stands between two bytes; it resumes from here on the next read.</summary>
internal enum ParserState : byte
{
    /// <summary>Nothing read yet: a byte order mark may come.</summary>
    Start,

    /// <summary>Inside the UTF-8 byte order mark.</summary>
    ByteOrderMark,

    /// <summary>Between markup: character data in a stanza, whitespace outside one.</summary>
    Content,

    /// <summary>After "&lt;".</summary>
    TagOpen,

    /// <summary>After "&lt;?" before the stream header: the XML declaration.</summary>
    Declaration,

    /// <summary>After "&lt;!".</summary>
    Bang,

    /// <summary>Matching "[CDATA[" after "&lt;!".</summary>
    CDataOpen,

    CData,

    StartTagName,

    /// <summary>Inside a start tag, after its name or an attribute value.</summary>
    TagSpace,

    AttributeName,

    /// <summary>After an attribute name, before "=".</summary>
    AttributeEquals,

    /// <summary>After "=", before the opening quote.</summary>
    AttributeQuote,

    AttributeValue,

    /// <summary>After "/" in a start tag.</summary>
    EmptyTagClose,

    EndTagName,

    /// <summary>After an end tag's name, before "&gt;".</summary>
    EndTagSpace,

    /// <summary>After "&amp;" in character data.</summary>
    TextReference,

    /// <summary>After "&amp;" in an attribute value.</summary>
    AttributeReference,
}
