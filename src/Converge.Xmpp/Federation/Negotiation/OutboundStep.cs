using System.Globalization;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>One cell of <see cref="OutboundNegotiationTable"/>: what an answer does in a stage, and the stage it leads to.</summary>
/// <param name="Failure">For <see cref="OutboundMove.Fail"/> and <see cref="OutboundMove.Refused"/>: why, with "{0}" the peer's domain, "{1}" the answer's name and "{2}" its type.</param>
internal readonly record struct OutboundStep(OutboundMove Move, OutboundLinkStage Next, string? Failure = null)
{
    /// <summary>The exception that ends the negotiation for a failing step.</summary>
    public PeerLinkException ToException(string domain, string? answerName = null, string? answerType = null)
    {
        var message = string.Format(CultureInfo.InvariantCulture, Failure ?? "{0} broke off the negotiation.", domain, answerName, answerType ?? "no verdict");
        return Move == OutboundMove.Refused ? PeerLinkException.Refused(message) : new PeerLinkException(PeerLinkException.NotFound, message);
    }
}
