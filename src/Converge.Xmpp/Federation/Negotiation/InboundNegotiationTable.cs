using System.Collections.Frozen;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>
/// How a link a peer opened to us is negotiated, in one place: for each state, each element the peer
/// may send, what the link does with it and the state that leads to. The receiving server's path is
/// stream header → STARTTLS → (new header) → SASL EXTERNAL (XEP-0178) or dialback (XEP-0220) for each
/// domain the peer claims → stanzas from the authenticated domains. Verification requests
/// (&lt;db:verify/&gt;) are answered in any state after a header: the server asking is often not the
/// one that will send stanzas.
/// <para>
/// Out of state, the stream ends with the error RFC 6120 §4.9.3 names: not-well-formed before a header,
/// not-authorized for a stanza before any domain is authenticated, unsupported-stanza-type for an element
/// nobody defined here. Whether an allowed element succeeds is its handler's business, as in
/// <see cref="Client.ClientNegotiationTable"/>: STARTTLS once secure is answered &lt;failure/&gt; and
/// policy-violation; SASL in the clear, a second time or for a domain the certificate does not prove is
/// answered with a SASL &lt;failure/&gt;; dialback in the clear where TLS is required ends the stream
/// policy-violation; a stanza from a domain this link did not authenticate ends it invalid-from.
/// </para>
/// <para>
/// The state is not stored but read from what the link has done (<see cref="StateOf"/>): dialback
/// verdicts arrive from a background verification while the read loop goes on, and an authenticated
/// domain is never lost, so the state cannot be left behind by one of them.
/// </para>
/// </summary>
internal static class InboundNegotiationTable
{
    private const string NotAStanza = "{0} is not something a peer may send here.";

    private static readonly FrozenDictionary<InboundLinkState, FrozenDictionary<InboundElement, InboundStep>> Steps =
        new Dictionary<InboundLinkState, FrozenDictionary<InboundElement, InboundStep>>
        {
            [InboundLinkState.AwaitingHeader] = Row(
                otherwise: Refuse("not-well-formed", "Expected a stream header."),
                (InboundElement.StreamError, Go(InboundAction.PeerGaveUp, InboundLinkState.Closed))),

            [InboundLinkState.Insecure] = Row(
                otherwise: Refuse("unsupported-stanza-type", NotAStanza),
                (InboundElement.StartTls, Go(InboundAction.StartTls, InboundLinkState.AwaitingHeader)),
                (InboundElement.Sasl, Go(InboundAction.Sasl, InboundLinkState.Insecure)), // encryption-required
                (InboundElement.DialbackResult, Go(InboundAction.RequestDialback, InboundLinkState.Authenticated)),
                (InboundElement.DialbackVerify, Go(InboundAction.AnswerVerification, InboundLinkState.Insecure)),
                (InboundElement.Stanza, Refuse("not-authorized", "Stanzas are accepted only after authentication.")),
                (InboundElement.StreamError, Go(InboundAction.PeerGaveUp, InboundLinkState.Closed))),

            [InboundLinkState.Secured] = Row(
                otherwise: Refuse("unsupported-stanza-type", NotAStanza),
                (InboundElement.StartTls, Go(InboundAction.StartTls, InboundLinkState.Closed)), // once secure: <failure/>, policy-violation
                (InboundElement.Sasl, Go(InboundAction.Sasl, InboundLinkState.AwaitingHeader)),
                (InboundElement.DialbackResult, Go(InboundAction.RequestDialback, InboundLinkState.Authenticated)),
                (InboundElement.DialbackVerify, Go(InboundAction.AnswerVerification, InboundLinkState.Secured)),
                (InboundElement.Stanza, Refuse("not-authorized", "Stanzas are accepted only after authentication.")),
                (InboundElement.StreamError, Go(InboundAction.PeerGaveUp, InboundLinkState.Closed))),

            // More domains may be added to an authenticated link (XEP-0220 multiplexing).
            [InboundLinkState.Authenticated] = Row(
                otherwise: Refuse("unsupported-stanza-type", NotAStanza),
                (InboundElement.StartTls, Go(InboundAction.StartTls, InboundLinkState.AwaitingHeader)), // after dialback in the clear
                (InboundElement.Sasl, Go(InboundAction.Sasl, InboundLinkState.AwaitingHeader)),
                (InboundElement.DialbackResult, Go(InboundAction.RequestDialback, InboundLinkState.Authenticated)),
                (InboundElement.DialbackVerify, Go(InboundAction.AnswerVerification, InboundLinkState.Authenticated)),
                (InboundElement.Stanza, Go(InboundAction.RouteStanza, InboundLinkState.Authenticated)),
                (InboundElement.StreamError, Go(InboundAction.PeerGaveUp, InboundLinkState.Closed))),
        }.ToFrozenDictionary();

    /// <summary>What the link does with <paramref name="element"/> in <paramref name="state"/> (any state but <see cref="InboundLinkState.Closed"/>).</summary>
    public static InboundStep Step(InboundLinkState state, InboundElement element) => Steps[state][element];

    /// <summary>Names the kind of an element a peer sent by its name and namespace alone (no payload is read).</summary>
    public static InboundElement Classify(XmlElement element) => element.Namespace switch
    {
        Namespaces.Tls when element.Name == "starttls" => InboundElement.StartTls,
        Namespaces.Sasl => InboundElement.Sasl,
        FederationNamespaces.Dialback when element.Name == "result" => InboundElement.DialbackResult,
        FederationNamespaces.Dialback when element.Name == "verify" => InboundElement.DialbackVerify,
        Namespaces.Streams when element.Name == "error" => InboundElement.StreamError,

        // By name only: a stanza in another namespace is a stanza the intake refuses with invalid-namespace.
        _ => Stanza.TryGetKind(element, out _) ? InboundElement.Stanza : InboundElement.Other,
    };

    /// <summary>The state a link is in, from what it has negotiated so far.</summary>
    /// <param name="headerSent">Whether the current stream's header was answered (false again after a restart).</param>
    public static InboundLinkState StateOf(bool headerSent, bool secure, bool authenticated) =>
        !headerSent ? InboundLinkState.AwaitingHeader
        : authenticated ? InboundLinkState.Authenticated
        : secure ? InboundLinkState.Secured
        : InboundLinkState.Insecure;

    private static InboundStep Go(InboundAction action, InboundLinkState next) => new(action, next);

    private static InboundStep Refuse(string condition, string text) => new(InboundAction.Refuse, InboundLinkState.Closed, condition, text);

    private static FrozenDictionary<InboundElement, InboundStep> Row(InboundStep otherwise, params (InboundElement, InboundStep)[] cells) =>
        NegotiationRow.Of(otherwise, cells);
}
