namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>Where a link a peer opened to us is in its negotiation (RFC 6120 §4-§6, XEP-0220); see <see cref="InboundNegotiationTable"/>.</summary>
internal enum InboundLinkState
{
    /// <summary>At the start, and after every stream restart (STARTTLS, SASL success): only a stream header may come.</summary>
    AwaitingHeader,

    /// <summary>A stream is open in the clear and no domain is authenticated yet.</summary>
    Insecure,

    /// <summary>The stream is encrypted and no domain is authenticated yet.</summary>
    Secured,

    /// <summary>At least one peer domain is authenticated (SASL EXTERNAL or dialback): stanzas from it are accepted.</summary>
    Authenticated,

    /// <summary>The stream ended: refused, or closed by the peer. Nothing more is read.</summary>
    Closed,
}
