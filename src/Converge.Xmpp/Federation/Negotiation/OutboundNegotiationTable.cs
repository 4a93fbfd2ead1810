using System.Collections.Frozen;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>
/// How a connection we open to a peer is negotiated, in one place (RFC 6120 §4-§6 as the initiating
/// server, XEP-0178, XEP-0220). The path is: connect (direct TLS where the SRV record says so) → our
/// header → the peer's header and features → STARTTLS and a new stream when the peer is not yet secure
/// → SASL EXTERNAL when the peer offers it and its certificate proves its domain, else dialback →
/// up. A verification connection (<see cref="DialbackVerifier"/>) goes the same way up to the
/// authentication, sends &lt;db:verify/&gt; instead and closes at the verdict.
/// <para>
/// <see cref="AfterFeatures"/> and <see cref="Authentication"/> say which stage the peer's features
/// lead to; <see cref="Answer"/> says what each answer does in the stage that waits for it. A stream
/// error from the peer ends the negotiation in any stage (<see cref="OnStreamError"/>). Where an
/// agreement requires the peer to prove its domain with a certificate, a certificate that does not
/// ends it before authentication (PeerLinkException.Unproven): dialback would prove only us to the peer.
/// </para>
/// </summary>
internal static class OutboundNegotiationTable
{
    private static readonly FrozenDictionary<OutboundLinkStage, FrozenDictionary<OutboundAnswer, OutboundStep>> Steps =
        new Dictionary<OutboundLinkStage, FrozenDictionary<OutboundAnswer, OutboundStep>>
        {
            [OutboundLinkStage.AwaitingFeatures] = Row(
                otherwise: Fail("{0} sent <{1}/> instead of stream features."),
                (OutboundAnswer.Features, Go(OutboundLinkStage.Authenticating))), // or AwaitingProceed, or Up: AfterFeatures

            [OutboundLinkStage.AwaitingProceed] = Row(
                otherwise: Fail("{0} refused STARTTLS."),
                (OutboundAnswer.TlsProceed, Go(OutboundLinkStage.AwaitingHeader))), // after the TLS handshake

            // The peer does not trust our certificate: dialback still may do.
            [OutboundLinkStage.AwaitingSaslOutcome] = Row(
                otherwise: new(OutboundMove.FallBackToDialback, OutboundLinkStage.AwaitingDialbackVerdict),
                (OutboundAnswer.SaslSuccess, Go(OutboundLinkStage.AwaitingHeader))), // a restart; its features lead Up

            // Nothing else is expected before the verdict; what comes meanwhile is read past.
            [OutboundLinkStage.AwaitingDialbackVerdict] = Row(
                otherwise: new(OutboundMove.Wait, OutboundLinkStage.AwaitingDialbackVerdict),
                (OutboundAnswer.DialbackValid, Go(OutboundLinkStage.Up)),
                (OutboundAnswer.DialbackInvalid, new(OutboundMove.Refused, OutboundLinkStage.Failed, "{0} found our dialback key invalid.")),
                (OutboundAnswer.DialbackOther, Fail("{0} did not accept our dialback ({2})."))),

            // The verifier also checks that the verdict is for the stream it asked about.
            [OutboundLinkStage.AwaitingVerification] = Row(
                otherwise: new(OutboundMove.Wait, OutboundLinkStage.AwaitingVerification),
                (OutboundAnswer.VerifyVerdict, Go(OutboundLinkStage.Verified))),

            // Only the peer's close or stream error matters on an authenticated stream.
            [OutboundLinkStage.Up] = Row(otherwise: new(OutboundMove.Wait, OutboundLinkStage.Up)),
        }.ToFrozenDictionary();

    /// <summary>What <paramref name="answer"/> does in <paramref name="stage"/> (a stage that waits for an element).</summary>
    public static OutboundStep Answer(OutboundLinkStage stage, OutboundAnswer answer) => Steps[stage][answer];

    /// <summary>Names the kind of a peer's answer by its name, namespace and (for dialback) verdict.</summary>
    public static OutboundAnswer Classify(XmlElement element) => element.Namespace switch
    {
        Namespaces.Streams when element.Name == "features" => OutboundAnswer.Features,
        Namespaces.Tls when element.Name == "proceed" => OutboundAnswer.TlsProceed,
        Namespaces.Sasl when element.Name == "success" => OutboundAnswer.SaslSuccess,
        FederationNamespaces.Dialback when element.Name == "result" => element.GetAttribute("type") switch
        {
            "valid" => OutboundAnswer.DialbackValid,
            "invalid" => OutboundAnswer.DialbackInvalid,
            _ => OutboundAnswer.DialbackOther,
        },
        FederationNamespaces.Dialback when element.Name == "verify" => OutboundAnswer.VerifyVerdict,
        _ => OutboundAnswer.Other,
    };

    /// <summary>Where the peer's features lead (a pre-1.0 peer sends none: RFC 6120 §4.7.5).</summary>
    /// <param name="authenticated">Whether this stream follows a SASL success.</param>
    public static OutboundStep AfterFeatures(bool authenticated, bool secure, bool offersStartTls, bool tlsRequired) =>
        authenticated ? Go(OutboundLinkStage.Up)
        : secure ? Go(OutboundLinkStage.Authenticating)
        : offersStartTls ? Go(OutboundLinkStage.AwaitingProceed)
        : tlsRequired ? Fail("{0} does not offer TLS, which this server requires.")
        : Go(OutboundLinkStage.Authenticating);

    /// <summary>SASL EXTERNAL where the peer offers it and its certificate proves it (XEP-0178), else dialback (XEP-0220).</summary>
    /// <param name="hasStreamId">Whether the peer's header had an id: a dialback key is bound to it.</param>
    public static OutboundStep Authentication(bool offersExternal, bool peerProven, bool hasStreamId) =>
        offersExternal && peerProven ? Go(OutboundLinkStage.AwaitingSaslOutcome)
        : hasStreamId ? Go(OutboundLinkStage.AwaitingDialbackVerdict)
        : Fail("{0} gave its stream no id; dialback is impossible.");

    /// <summary>A stream error from the peer, in any stage: the waiting stanzas' error says whether trying again can help.</summary>
    public static PeerLinkException OnStreamError(string domain, string condition, string? text)
    {
        var message = $"{domain} closed the stream with <{condition}/>{(text is null ? "" : ": " + text)}.";
        return condition switch
        {
            // RFC 6120 §4.9.3: the peer will not talk to us, or not as the domain we claim.
            "not-authorized" or "policy-violation" or "invalid-from" => PeerLinkException.Refused(message),
            "host-unknown" or "host-gone" => PeerLinkException.DomainNotServed(message),
            _ => new PeerLinkException(PeerLinkException.NotFound, message),
        };
    }

    private static OutboundStep Go(OutboundLinkStage next) => new(OutboundMove.Advance, next);

    private static OutboundStep Fail(string why) => new(OutboundMove.Fail, OutboundLinkStage.Failed, why);

    private static FrozenDictionary<OutboundAnswer, OutboundStep> Row(OutboundStep otherwise, params (OutboundAnswer, OutboundStep)[] cells) =>
        NegotiationRow.Of(otherwise, cells);
}
