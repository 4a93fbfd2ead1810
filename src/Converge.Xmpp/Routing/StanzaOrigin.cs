namespace Converge.Xmpp.Routing;

/// <summary>The door a stanza came in by: who vouches for its 'from'.</summary>
internal enum StanzaOrigin
{
    /// <summary>An authenticated local client; the server stamped 'from' with its full JID.</summary>
    Client,

    /// <summary>A peer provider over an authenticated server-to-server link; 'from' lies in the link's domain.</summary>
    Peer,

    /// <summary>The interworking function: an SMS or a mail turned into XMPP; 'from' is a legacy address.</summary>
    Legacy,

    /// <summary>The server itself: replies, bounces, presence broadcasts and subscription stanzas made on a user's behalf.</summary>
    Internal,

    /// <summary>An external component (XEP-0114) that proved its shared secret; 'from' lies in its domain.</summary>
    Component,
}
