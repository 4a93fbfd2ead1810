using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// A stanza waiting for a peer: as routed (to bounce it) and in its jabber:server form (to send it),
/// with the number of connections that ended while it was on its way.
/// </summary>
internal readonly record struct QueuedStanza(Stanza Original, XmlElement Wire, int LostOnce = 0);
