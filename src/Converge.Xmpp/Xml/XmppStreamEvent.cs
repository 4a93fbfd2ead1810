namespace Converge.Xmpp.Xml;

public enum XmppStreamEventKind
{
    /// <summary>The stream header; <see cref="XmppStreamEvent.Element"/> holds its attributes (name "stream").</summary>
    StreamOpen,

    /// <summary>A complete top-level element (stanza or nonza) at depth 1.</summary>
    Element,

    /// <summary>&lt;/stream:stream&gt;.</summary>
    StreamClose,
}

public readonly record struct XmppStreamEvent(XmppStreamEventKind Kind, XmlElement? Element);
