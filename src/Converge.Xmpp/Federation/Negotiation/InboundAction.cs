namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>What an inbound link does with an element the table allows (InboundLink's handlers).</summary>
internal enum InboundAction
{
    /// <summary>&lt;proceed/&gt; and the TLS handshake as the receiving server; once secure, &lt;failure/&gt; and policy-violation.</summary>
    StartTls,

    /// <summary>SASL EXTERNAL with the peer's certificate; every refusal is a SASL &lt;failure/&gt; and the stream stays.</summary>
    Sasl,

    /// <summary>Checks the key with the claimed domain's authoritative server in the background and answers valid or invalid.</summary>
    RequestDialback,

    /// <summary>Answers whether this server made the key.</summary>
    AnswerVerification,

    /// <summary>Checks addressing, rate and replies and hands the stanza to the router.</summary>
    RouteStanza,

    /// <summary>The peer ended the stream; the link closes.</summary>
    PeerGaveUp,

    /// <summary>Out of state: the stream ends with the step's stream error.</summary>
    Refuse,
}
