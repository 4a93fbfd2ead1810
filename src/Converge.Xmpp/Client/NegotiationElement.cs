namespace Converge.Xmpp.Client;

/// <summary>The kinds of element a client may send while its stream is negotiated.</summary>
internal enum NegotiationElement
{
    /// <summary>&lt;starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/&gt;</summary>
    StartTls,

    /// <summary>Any element in the SASL namespace (auth, response, abort).</summary>
    Sasl,

    /// <summary>An &lt;iq/&gt; in jabber:client: resource binding, or the legacy session establishment.</summary>
    ClientIq,

    /// <summary>Any element in the XEP-0198 namespace (before binding only &lt;resume/&gt; means anything).</summary>
    StreamManagement,

    /// <summary>Anything else: never allowed before a session is bound.</summary>
    Other,
}
