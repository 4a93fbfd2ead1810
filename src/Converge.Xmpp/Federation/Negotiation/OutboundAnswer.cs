namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>The kinds of element a peer answers our negotiation with, named by name, namespace and verdict alone.</summary>
internal enum OutboundAnswer
{
    /// <summary>&lt;stream:features/&gt;</summary>
    Features,

    /// <summary>&lt;proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/&gt;</summary>
    TlsProceed,

    /// <summary>&lt;success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/&gt;</summary>
    SaslSuccess,

    /// <summary>&lt;db:result type='valid'/&gt;</summary>
    DialbackValid,

    /// <summary>&lt;db:result type='invalid'/&gt;: the authoritative server (we) did not vouch for the key.</summary>
    DialbackInvalid,

    /// <summary>&lt;db:result/&gt; with any other type (error, none).</summary>
    DialbackOther,

    /// <summary>&lt;db:verify/&gt; with a verdict: the answer to a verification.</summary>
    VerifyVerdict,

    /// <summary>Anything else.</summary>
    Other,
}
