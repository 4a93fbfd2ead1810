using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing;

/// <summary>A routed element and its text as archived; valid only while the element is that same object, unchanged.</summary>
internal sealed record ArchivedStanzaXml(XmlElement Element, string Xml);
