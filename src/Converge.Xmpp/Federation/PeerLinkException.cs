namespace Converge.Xmpp.Federation;

/// <summary>
/// An outbound link could not be made. <see cref="Condition"/> is the stanza error the waiting
/// stanzas are bounced with: remote-server-not-found (no address, refused, not authenticated) or
/// remote-server-timeout.
/// </summary>
internal sealed class PeerLinkException(string condition, string message) : Exception(message)
{
    public const string NotFound = "remote-server-not-found";
    public const string Timeout = "remote-server-timeout";

    public string Condition { get; } = condition;
}
