namespace Converge.Xmpp.Client;

/// <summary>Where a client stream is in its negotiation (RFC 6120 §4-§7); see <see cref="ClientNegotiationTable"/>.</summary>
internal enum ClientStreamState
{
    /// <summary>At the start, and after every stream restart (STARTTLS, SASL success): only a stream header may come.</summary>
    AwaitingHeader,

    /// <summary>Not encrypted: STARTTLS where the transport allows it; SASL is answered encryption-required.</summary>
    Insecure,

    /// <summary>Encrypted (TLS, or a confidential WebSocket), not yet authenticated: SASL.</summary>
    Secured,

    /// <summary>Authenticated: bind a resource (or resume a session, XEP-0198).</summary>
    Authenticated,

    /// <summary>A session is bound: stanzas and nonzas, no longer negotiation (ClientConnection.StanzaIntake).</summary>
    Bound,
}
