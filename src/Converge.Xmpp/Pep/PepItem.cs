using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>One published item: its id, its publication number (for order) and its payload element (never mutated once stored).</summary>
internal sealed record PepItem(string Id, long Published, XmlElement Payload);
