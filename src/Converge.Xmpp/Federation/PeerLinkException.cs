namespace Converge.Xmpp.Federation;

/// <summary>
/// An outbound link could not be made. <see cref="Condition"/> and <see cref="ErrorType"/> are the
/// stanza error the waiting stanzas are bounced with (RFC 6120 §8.3.3.16-17): remote-server-not-found
/// when the peer cannot be found or reached, remote-server-timeout when no stream could be negotiated
/// in time - and, of type cancel, when the peer refused us (<see cref="Refused"/>).
/// </summary>
internal sealed class PeerLinkException(string condition, string message, string? errorType = null) : Exception(message)
{
    public const string NotFound = "remote-server-not-found";
    public const string Timeout = "remote-server-timeout";

    public string Condition { get; } = condition;

    /// <summary>The error type when it is not the condition's customary one (wait for both conditions here).</summary>
    public string? ErrorType { get; } = errorType;

    /// <summary>
    /// The peer was reached and refused the link: a stream error such as not-authorized or
    /// policy-violation, or dialback that found our key invalid. RFC 6120 §8.3.3.17 names failed
    /// stream negotiation (TLS, SASL, dialback) remote-server-timeout, with type cancel rather than
    /// wait when the failure is permanent: sending again would meet the same refusal. (not-allowed,
    /// §8.3.3.10, is what this server answers when its own agreements forbid the link.)
    /// </summary>
    public static PeerLinkException Refused(string message) => new(Timeout, message, "cancel");

    /// <summary>
    /// The peer's server says it does not serve the domain (stream error host-unknown or host-gone):
    /// the recipient's server does not exist there, remote-server-not-found (RFC 6120 §8.3.3.16),
    /// and sending again will not change that.
    /// </summary>
    public static PeerLinkException DomainNotServed(string message) => new(NotFound, message, "cancel");

    /// <summary>
    /// The peer did not prove its domain with a trusted certificate where the agreement requires it:
    /// a failed negotiation as in <see cref="Refused"/>, permanent until an operator acts - but ours.
    /// </summary>
    public static PeerLinkException Unproven(string message) => new(Timeout, message, "cancel") { IsUnproven = true };

    /// <summary>We refused the peer for want of a trusted certificate (<see cref="Unproven"/>).</summary>
    public bool IsUnproven { get; private init; }
}
