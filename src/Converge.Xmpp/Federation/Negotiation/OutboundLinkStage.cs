namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>
/// Where a connection we opened to a peer is in its negotiation; see <see cref="OutboundNegotiationTable"/>.
/// (<see cref="OutboundLinkState"/> is the link's state as operators see it: idle, connecting, up.)
/// </summary>
internal enum OutboundLinkStage
{
    /// <summary>Resolving the peer, connecting, and direct TLS where the endpoint says so: nothing is read yet.</summary>
    Connecting,

    /// <summary>Our stream header is sent; the peer's header must come.</summary>
    AwaitingHeader,

    /// <summary>The peer's XMPP 1.0 header came; its &lt;stream:features/&gt; must follow.</summary>
    AwaitingFeatures,

    /// <summary>&lt;starttls/&gt; is sent; &lt;proceed/&gt; must come, then TLS and a new stream.</summary>
    AwaitingProceed,

    /// <summary>The stream is as secure as it gets; SASL EXTERNAL or dialback is chosen.</summary>
    Authenticating,

    /// <summary>&lt;auth mechanism='EXTERNAL'/&gt; is sent.</summary>
    AwaitingSaslOutcome,

    /// <summary>&lt;db:result/&gt; with our key is sent; the peer asks our authoritative server, then answers.</summary>
    AwaitingDialbackVerdict,

    /// <summary>A verification connection (XEP-0220 §2.2.2): &lt;db:verify/&gt; is sent to the authoritative server.</summary>
    AwaitingVerification,

    /// <summary>Authenticated: stanzas flow; only the peer's close or stream error is read.</summary>
    Up,

    /// <summary>A verification connection has its verdict and closes.</summary>
    Verified,

    /// <summary>Negotiation failed; the connection is closed and what waits is bounced.</summary>
    Failed,
}
