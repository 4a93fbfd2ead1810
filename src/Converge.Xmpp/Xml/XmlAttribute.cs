namespace Converge.Xmpp.Xml;

/// <summary>
/// An attribute. <see cref="Namespace"/> is empty for unprefixed attributes; "xml:lang" is kept
/// with Name "xml:lang" and an empty namespace, since the xml prefix is bound by definition.
/// Namespace declarations (xmlns, xmlns:p) are not attributes here: they become the
/// namespaces of the elements.
/// </summary>
public readonly record struct XmlAttribute(string Name, string Value, string Namespace = "");
