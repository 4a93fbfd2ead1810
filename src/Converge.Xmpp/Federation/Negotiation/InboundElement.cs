namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>The kinds of element a peer may send on a link it opened to us, named by name and namespace alone.</summary>
internal enum InboundElement
{
    /// <summary>&lt;starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/&gt;</summary>
    StartTls,

    /// <summary>Any element in the SASL namespace (auth, response, abort): SASL EXTERNAL, XEP-0178.</summary>
    Sasl,

    /// <summary>&lt;db:result/&gt;: the peer asks to be accepted for a domain (XEP-0220).</summary>
    DialbackResult,

    /// <summary>&lt;db:verify/&gt;: a receiving server asks whether we made a key (XEP-0220 §2.2.2).</summary>
    DialbackVerify,

    /// <summary>&lt;message/&gt;, &lt;presence/&gt; or &lt;iq/&gt;.</summary>
    Stanza,

    /// <summary>&lt;stream:error/&gt;: the peer gives up on the stream and closes it next.</summary>
    StreamError,

    /// <summary>Anything else.</summary>
    Other,
}
