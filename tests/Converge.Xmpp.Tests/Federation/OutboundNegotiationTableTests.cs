using Converge.Xmpp.Federation;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// The outbound server-to-server negotiation table: which answer moves each stage on, and that an
/// answer out of its stage ends the negotiation with the error the waiting stanzas bounce with.
/// </summary>
public sealed class OutboundNegotiationTableTests
{
    [Theory]
    [InlineData("AwaitingFeatures", "Features", "Advance", "Authenticating")]
    [InlineData("AwaitingFeatures", "TlsProceed", "Fail", "Failed")]
    [InlineData("AwaitingProceed", "TlsProceed", "Advance", "AwaitingHeader")]
    [InlineData("AwaitingProceed", "Other", "Fail", "Failed")]
    [InlineData("AwaitingSaslOutcome", "SaslSuccess", "Advance", "AwaitingHeader")]
    [InlineData("AwaitingSaslOutcome", "Other", "FallBackToDialback", "AwaitingDialbackVerdict")]
    [InlineData("AwaitingDialbackVerdict", "DialbackValid", "Advance", "Up")]
    [InlineData("AwaitingDialbackVerdict", "DialbackInvalid", "Refused", "Failed")]
    [InlineData("AwaitingDialbackVerdict", "DialbackOther", "Fail", "Failed")]
    [InlineData("AwaitingDialbackVerdict", "Features", "Wait", "AwaitingDialbackVerdict")]
    [InlineData("AwaitingVerification", "VerifyVerdict", "Advance", "Verified")]
    [InlineData("AwaitingVerification", "DialbackValid", "Wait", "AwaitingVerification")]
    [InlineData("Up", "Other", "Wait", "Up")]
    public void An_answer_moves_its_stage_as_the_table_says(string stage, string answer, string move, string next)
    {
        var step = OutboundNegotiationTable.Answer(Enum.Parse<OutboundLinkStage>(stage), Enum.Parse<OutboundAnswer>(answer));
        Assert.Equal(Enum.Parse<OutboundMove>(move), step.Move);
        Assert.Equal(Enum.Parse<OutboundLinkStage>(next), step.Next);
    }

    [Theory]
    [InlineData(true, false, false, false, "Up")]
    [InlineData(false, true, true, true, "Authenticating")]
    [InlineData(false, false, true, true, "AwaitingProceed")]
    [InlineData(false, false, false, true, "Failed")]
    [InlineData(false, false, false, false, "Authenticating")]
    public void The_features_lead_to_tls_authentication_or_up(bool authenticated, bool secure, bool offersStartTls, bool tlsRequired, string next) =>
        Assert.Equal(Enum.Parse<OutboundLinkStage>(next), OutboundNegotiationTable.AfterFeatures(authenticated, secure, offersStartTls, tlsRequired).Next);

    [Theory]
    [InlineData(true, true, true, "AwaitingSaslOutcome")]
    [InlineData(true, false, true, "AwaitingDialbackVerdict")]
    [InlineData(false, true, true, "AwaitingDialbackVerdict")]
    [InlineData(false, true, false, "Failed")]
    public void Sasl_external_only_with_a_proven_peer_that_offers_it_else_dialback(bool offersExternal, bool peerProven, bool hasStreamId, string next) =>
        Assert.Equal(Enum.Parse<OutboundLinkStage>(next), OutboundNegotiationTable.Authentication(offersExternal, peerProven, hasStreamId).Next);

    [Fact]
    public void An_invalid_dialback_verdict_is_a_refusal_that_sending_again_will_not_change()
    {
        var error = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingDialbackVerdict, OutboundAnswer.DialbackInvalid).ToException("a.test");
        Assert.Equal(PeerLinkException.Timeout, error.Condition);
        Assert.Equal("cancel", error.ErrorType);
        Assert.Equal("a.test found our dialback key invalid.", error.Message);
    }

    [Fact]
    public void Features_out_of_place_are_named_in_the_failure()
    {
        var error = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingFeatures, OutboundAnswer.Other).ToException("a.test", "message");
        Assert.Equal(PeerLinkException.NotFound, error.Condition);
        Assert.Null(error.ErrorType);
        Assert.Equal("a.test sent <message/> instead of stream features.", error.Message);
    }

    [Theory]
    [InlineData("not-authorized", PeerLinkException.Timeout, "cancel")]
    [InlineData("host-unknown", PeerLinkException.NotFound, "cancel")]
    [InlineData("internal-server-error", PeerLinkException.NotFound, null)]
    public void A_stream_error_from_the_peer_says_whether_trying_again_can_help(string condition, string bounce, string? type)
    {
        var error = OutboundNegotiationTable.OnStreamError("a.test", condition, null);
        Assert.Equal(bounce, error.Condition);
        Assert.Equal(type, error.ErrorType);
    }

    [Theory]
    [InlineData("features", "http://etherx.jabber.org/streams", null, "Features")]
    [InlineData("proceed", "urn:ietf:params:xml:ns:xmpp-tls", null, "TlsProceed")]
    [InlineData("success", "urn:ietf:params:xml:ns:xmpp-sasl", null, "SaslSuccess")]
    [InlineData("failure", "urn:ietf:params:xml:ns:xmpp-sasl", null, "Other")]
    [InlineData("result", "jabber:server:dialback", "valid", "DialbackValid")]
    [InlineData("result", "jabber:server:dialback", "invalid", "DialbackInvalid")]
    [InlineData("result", "jabber:server:dialback", "error", "DialbackOther")]
    [InlineData("verify", "jabber:server:dialback", "valid", "VerifyVerdict")]
    public void Answers_are_named_by_name_namespace_and_verdict(string name, string ns, string? type, string expected)
    {
        var element = new XmlElement(name, ns);
        if (type is not null)
        {
            element.SetAttribute("type", type);
        }

        Assert.Equal(Enum.Parse<OutboundAnswer>(expected), OutboundNegotiationTable.Classify(element));
    }
}
