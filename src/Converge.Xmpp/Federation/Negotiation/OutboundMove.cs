namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>What an outbound negotiation does with the peer's answer.</summary>
internal enum OutboundMove
{
    /// <summary>The expected answer: go on to the step's next stage.</summary>
    Advance,

    /// <summary>Not what this stage waits for, but harmless: read on.</summary>
    Wait,

    /// <summary>The peer did not accept SASL EXTERNAL (it does not trust our certificate): dialback may still do.</summary>
    FallBackToDialback,

    /// <summary>The link cannot be made: waiting stanzas bounce remote-server-not-found (RFC 6120 §8.3.3.16).</summary>
    Fail,

    /// <summary>The peer refused us: waiting stanzas bounce remote-server-timeout, type cancel (§8.3.3.17).</summary>
    Refused,
}
