namespace Converge.Xmpp.Federation;

internal enum OutboundLinkState
{
    /// <summary>No connection (none needed yet, closed when idle, or the last attempt failed).</summary>
    Idle,

    /// <summary>Resolving, connecting, securing or authenticating; stanzas wait in order.</summary>
    Connecting,

    /// <summary>Authenticated; stanzas flow.</summary>
    Up,
}
